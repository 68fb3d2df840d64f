package engine

import (
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

func (s *stepper) jobCompleted(t JobCompleted) error {
	ei, err := s.waiting(s.st.Jobs[t.JobID], "job")
	if err != nil {
		return err
	}
	delete(s.st.Jobs, t.JobID)
	s.history(HistoryJobCompleted, ei.Element, ei.ID, map[string]any{"job": t.JobID})
	s.complete(ei, t.Vars)
	return nil
}

func (s *stepper) jobErrorThrown(t JobErrorThrown) error {
	ei, err := s.waiting(s.st.Jobs[t.JobID], "job")
	if err != nil {
		return err
	}
	delete(s.st.Jobs, t.JobID)
	if len(t.Vars) > 0 {
		s.propagate(ei, t.Vars)
	}
	s.throwError(ei, t.Code, t.Message)
	return nil
}

func (s *stepper) userTaskCompleted(t UserTaskCompleted) error {
	ei, err := s.waiting(s.st.Tasks[t.TaskID], "user task")
	if err != nil {
		return err
	}
	delete(s.st.Tasks, t.TaskID)
	s.history(HistoryUserTaskCompleted, ei.Element, ei.ID, map[string]any{"task": t.TaskID})
	s.complete(ei, t.Vars)
	return nil
}

func (s *stepper) timerFired(t TimerFired) error {
	ref, ok := s.st.Timers[t.TimerID]
	if !ok {
		return apierr.NotFound(ReasonNotWaiting, "the instance no longer waits for this timer")
	}
	ei, err := s.waiting(ref.Element, "timer")
	if err != nil {
		return err
	}
	ev := s.m.Elements[ref.Event]
	s.history(HistoryTimerFired, ev.ID, ei.ID, map[string]any{"timer": t.TimerID, "due": ref.Due})
	if ev.Kind == bpmn.BoundaryEvent && !ev.Interrupting && ev.Timer.Type == bpmn.TimerCycle {
		s.repeat(t.TimerID, ref, ev)
	} else {
		delete(s.st.Timers, t.TimerID)
	}
	s.occurred(ei, ev, nil)
	return nil
}

// repeat schedules a cycle timer's next firing, under a new id (the fired one's row is deleted).
func (s *stepper) repeat(id string, ref TimerRef, ev *bpmn.Element) {
	delete(s.st.Timers, id)
	due, ok, err := s.e.timers.Next(ev.Timer.Type, ref.Value, ref.Due, ref.Fired+1)
	if err != nil || !ok {
		return // the cycle is over (or cannot go on: it was valid when it started, so it is over)
	}
	next := s.st.nextID()
	s.st.Timers[next] = TimerRef{Element: ref.Element, Event: ref.Event, Fired: ref.Fired + 1, Value: ref.Value, Due: due}
	s.fx.Timers = append(s.fx.Timers, Timer{ID: next, Due: due, Element: ev.ID, EI: ref.Element})
}

func (s *stepper) messageCorrelated(t MessageCorrelated) error {
	ref, ok := s.st.Subs[t.SubscriptionID]
	if !ok {
		return apierr.NotFound(ReasonNotWaiting, "the instance no longer waits for this message")
	}
	ei, err := s.waiting(ref.Element, "message")
	if err != nil {
		return err
	}
	ev := s.m.Elements[ref.Event]
	s.history(HistoryMessageCorrelated, ev.ID, ei.ID, map[string]any{"subscription": t.SubscriptionID})
	// A non-interrupting message boundary stays open: the activity may receive several such messages.
	if ev.Kind != bpmn.BoundaryEvent || ev.Interrupting {
		delete(s.st.Subs, t.SubscriptionID)
	}
	s.occurred(ei, ev, t.Vars)
	return nil
}

// occurred is event ev, which ei waited for, happening: a boundary event on ei's activity, one of an
// event-based gateway's events, or ei's own catch event or receive task.
func (s *stepper) occurred(ei *ElementInstance, ev *bpmn.Element, vars map[string]any) {
	switch {
	case ev.Kind == bpmn.BoundaryEvent:
		scope := s.parent(ei)
		if ev.Interrupting {
			s.terminate(ei)
		}
		s.passEvent(ev, scope, vars)
	case ev.ID != ei.Element: // an event-based gateway's event
		scope := s.parent(ei)
		s.closeWaits(ei)
		s.remove(ei)
		s.history(HistoryElementCompleted, ei.Element, ei.ID, map[string]any{"event": ev.ID})
		s.passEvent(ev, scope, vars)
	default:
		s.complete(ei, vars)
	}
}

// passEvent is an event without an element instance of its own happening in scope: its variables are
// applied and its outgoing flows taken.
func (s *stepper) passEvent(ev *bpmn.Element, scope *ElementInstance, vars map[string]any) {
	if s.gone(scope) {
		return
	}
	if len(ev.Outputs) > 0 {
		ctx := s.visible(scope)
		for k, v := range vars {
			ctx[k] = v
		}
		out := map[string]any{}
		for _, m := range ev.Outputs {
			v, err := s.eval(m.Source, ctx)
			if err != nil {
				ei := s.newEI(ev.ID, scope)
				s.stuck(ei, IncidentExpression, fmt.Sprintf("an output mapping of %s failed: %v", ev.ID, err), opComplete, "", vars)
				return
			}
			setPath(out, m.Target, v, ctx)
		}
		s.propagate(scope, out)
	} else if len(vars) > 0 {
		s.propagate(scope, vars)
	}
	s.history(HistoryElementCompleted, ev.ID, scope.ID, nil)
	s.leave(ev, scope)
}

// throwError throws a BPMN error from ei: the nearest enclosing activity with an error boundary event for
// the code (or for any code) catches it; nothing catching it fails the instance, and a called instance
// hands it to its call activity.
func (s *stepper) throwError(from *ElementInstance, code, msg string) {
	s.history(HistoryErrorThrown, from.Element, from.ID, map[string]any{"errorCode": code, "message": msg})
	for cur := from; cur != nil && cur.Parent != ""; cur = s.parent(cur) {
		if cur.Loop > 0 {
			continue // an inner instance: its activity's boundary events are on the multi-instance body
		}
		if b := s.catching(s.m.Elements[cur.Element], code); b != nil {
			scope := s.parent(cur)
			s.terminate(cur)
			s.passEvent(b, scope, map[string]any{})
			return
		}
	}
	s.finish(StatusFailed, code)
}

// catching is the error boundary event of el that catches code: one for that code first, else one for any.
func (s *stepper) catching(el *bpmn.Element, code string) *bpmn.Element {
	var any *bpmn.Element
	for _, id := range el.Boundaries {
		b := s.m.Elements[id]
		switch {
		case b.Event != bpmn.EventError:
		case b.ErrorCode == code:
			return b
		case b.ErrorCode == "" && any == nil:
			any = b
		}
	}
	return any
}
