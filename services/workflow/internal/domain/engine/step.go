package engine

import (
	"sync"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// Reasons of the errors Step returns: the trigger does not apply to the instance as it stands.
const (
	ReasonInstanceEnded   = "INSTANCE_ENDED"
	ReasonNotWaiting      = "NOT_WAITING"
	ReasonNoStartEvent    = "NO_START_EVENT"
	ReasonCalledInstance  = "CALLED_INSTANCE"
	ReasonUnknownTrigger  = "UNKNOWN_TRIGGER"
	ReasonInstanceStarted = "INSTANCE_STARTED"
)

// stepBudget bounds how many elements one step may pass without waiting: a loop of gateways and script
// tasks that never waits would otherwise hold the instance's lock for ever. Past it, the instance stops on
// an incident an operator can resolve (the step then goes on with a fresh budget).
const stepBudget = 10000

// Engine runs steps. It is safe for concurrent use; it caches compiled expressions.
type Engine struct {
	exprs  Expressions
	timers Timers
	cache  sync.Map // expression source -> Expression
}

// New returns an engine evaluating expressions with exprs and computing timers with timers.
func New(exprs Expressions, timers Timers) *Engine {
	return &Engine{exprs: exprs, timers: timers}
}

// Step applies trigger tr to the instance st of process m at time now. It changes st in place and returns
// the effects; on error st must be discarded (the app's transaction rolls back). Errors are apierr errors
// for a trigger that does not apply (the instance ended, the job is no longer awaited); a problem inside the
// process (an expression that fails) is not an error but an incident in the effects.
func (e *Engine) Step(m *bpmn.Process, st *State, tr Trigger, now time.Time) (*Effects, error) {
	st.ensureMaps()
	s := &stepper{e: e, m: m, st: st, now: now.UTC(), fx: &Effects{}, budget: stepBudget}
	if err := s.apply(tr); err != nil {
		return nil, err
	}
	s.fx.compact()
	return s.fx, nil
}

// stepper is one step's work on one instance.
type stepper struct {
	e      *Engine
	m      *bpmn.Process
	st     *State
	now    time.Time
	fx     *Effects
	budget int
}

func (s *stepper) apply(tr Trigger) error {
	if start, ok := tr.(Start); ok {
		return s.start(start)
	}
	if !s.st.Active() {
		return apierr.FailedPrecondition(ReasonInstanceEnded, "the instance has ended ("+string(s.st.Status)+")")
	}
	switch t := tr.(type) {
	case JobCompleted:
		return s.jobCompleted(t)
	case JobErrorThrown:
		return s.jobErrorThrown(t)
	case TimerFired:
		return s.timerFired(t)
	case MessageCorrelated:
		return s.messageCorrelated(t)
	case UserTaskCompleted:
		return s.userTaskCompleted(t)
	case ChildEnded:
		return s.childEnded(t)
	case ChildStartFailed:
		return s.childStartFailed(t)
	case Cancel:
		return s.cancel(t)
	case ResolveIncident:
		return s.resolveIncident(t)
	case SetVariables:
		return s.setVariables(t)
	}
	return apierr.Invalid(ReasonUnknownTrigger, "unknown trigger")
}

// start creates the root scope and enters the start event.
func (s *stepper) start(t Start) error {
	if len(s.st.Elements) > 0 || !s.st.Active() {
		return apierr.FailedPrecondition(ReasonInstanceStarted, "the instance has already started")
	}
	event := t.Event
	root := s.m.Root()
	if event == "" {
		event = root.NoneStart
	}
	el, ok := s.m.Elements[event]
	if event == "" || !ok || el.Kind != bpmn.StartEvent || el.Scope != s.m.ID {
		return apierr.FailedPrecondition(ReasonNoStartEvent, "process "+s.m.ID+" has no start event "+
			orWord(t.Event, "without a trigger")+": it starts by timer or message")
	}
	s.st.Parent = t.Parent
	ei := s.newEI(s.m.ID, nil)
	ei.Vars = copyVars(t.Vars)
	if len(el.Outputs) > 0 {
		// A start event's output mappings choose which of the start's variables (a message's) the instance
		// keeps, and under which names.
		out := map[string]any{}
		for _, m := range el.Outputs {
			v, err := s.eval(m.Source, t.Vars)
			if err != nil {
				return apierr.Invalid(ReasonNoStartEvent, "the output mapping "+m.Target+" of start event "+el.ID+" failed: "+err.Error())
			}
			setPath(out, m.Target, v, t.Vars)
		}
		ei.Vars = out
	}
	s.history(HistoryInstanceStarted, s.m.ID, ei.ID, map[string]any{"startEvent": event})
	s.enter(event, ei, "")
	return nil
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// newEI creates an element instance of element inside parent (nil for the root).
func (s *stepper) newEI(element string, parent *ElementInstance) *ElementInstance {
	ei := &ElementInstance{ID: s.st.nextKey(), Element: element}
	if parent != nil {
		ei.Parent = parent.ID
	}
	s.st.Elements[ei.ID] = ei
	return ei
}

// parent is ei's enclosing element instance (nil for the root).
func (s *stepper) parent(ei *ElementInstance) *ElementInstance {
	if ei.Parent == "" {
		return nil
	}
	return s.st.Elements[ei.Parent]
}

// gone reports whether ei has been removed (terminated or completed) earlier in this step.
func (s *stepper) gone(ei *ElementInstance) bool {
	return ei == nil || s.st.Elements[ei.ID] != ei
}

func (s *stepper) history(kind, element, ei string, detail map[string]any) {
	s.fx.History = append(s.fx.History, HistoryEntry{Kind: kind, Element: element, EI: ei, Detail: detail})
}

// waiting returns the element instance a wait refers to.
func (s *stepper) waiting(id, what string) (*ElementInstance, error) {
	ei, ok := s.st.Elements[id]
	if !ok {
		return nil, apierr.NotFound(ReasonNotWaiting, "the instance no longer waits for this "+what)
	}
	return ei, nil
}

// compact drops what was created and cancelled in the same step (a sub-process that completed at once
// opened and closed its boundary timer): the app need not write and delete it.
func (fx *Effects) compact() {
	fx.Jobs, fx.CancelJobs = cancelOut(fx.Jobs, fx.CancelJobs, func(j Job) string { return j.ID })
	fx.Timers, fx.CancelTimers = cancelOut(fx.Timers, fx.CancelTimers, func(t Timer) string { return t.ID })
	fx.Subscriptions, fx.CloseSubscriptions = cancelOut(fx.Subscriptions, fx.CloseSubscriptions, func(s Subscription) string { return s.ID })
	fx.UserTasks, fx.CancelUserTasks = cancelOut(fx.UserTasks, fx.CancelUserTasks, func(t UserTask) string { return t.ID })
	fx.Incidents, fx.ResolvedIncidents = cancelOut(fx.Incidents, fx.ResolvedIncidents, func(i Incident) string { return i.ID })
}

func cancelOut[T any](created []T, cancelled []string, id func(T) string) ([]T, []string) {
	if len(created) == 0 || len(cancelled) == 0 {
		return created, cancelled
	}
	gone := map[string]bool{}
	for _, c := range cancelled {
		gone[c] = true
	}
	var keep []T
	both := map[string]bool{}
	for _, c := range created {
		if gone[id(c)] {
			both[id(c)] = true
			continue
		}
		keep = append(keep, c)
	}
	var rest []string
	for _, c := range cancelled {
		if !both[c] {
			rest = append(rest, c)
		}
	}
	return keep, rest
}
