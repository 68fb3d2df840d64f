package engine

import (
	"fmt"
	"slices"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// enter takes a token into element id inside scope, arriving over flow ("" for a start).
func (s *stepper) enter(id string, scope *ElementInstance, flow string) {
	if s.gone(scope) {
		return // the scope was terminated earlier in this step (a terminate end on another branch)
	}
	el := s.m.Elements[id]
	if s.budget--; s.budget < 0 {
		ei := s.newEI(id, scope)
		if el.Loop != nil && !isPassing(el) {
			ei.Body = &Body{}
		}
		s.stuck(ei, IncidentStepLimit, fmt.Sprintf("more than %d elements passed in one step without waiting: a loop "+
			"that never waits? Resolve the incident to go on", stepBudget), opActivate, flow, nil)
		return
	}
	switch {
	case el.Kind == bpmn.ParallelGateway:
		s.join(el, scope, flow)
	case el.Kind == bpmn.ExclusiveGateway:
		s.exclusive(el, scope)
	case el.Kind == bpmn.StartEvent, el.Kind == bpmn.IntermediateThrowEvent && el.Event == bpmn.EventNone:
		s.history(HistoryElementCompleted, el.ID, scope.ID, nil)
		s.leave(el, scope)
	case el.Kind == bpmn.EndEvent:
		s.end(el, scope)
	case el.Loop != nil:
		body := s.newEI(id, scope)
		body.Body = &Body{}
		s.history(HistoryElementActivated, el.ID, body.ID, nil)
		s.activateBody(body)
	default:
		ei := s.newEI(id, scope)
		s.history(HistoryElementActivated, el.ID, ei.ID, nil)
		s.activate(ei)
	}
}

// leave takes the element's outgoing flows inside scope; an element without any ends its path there.
func (s *stepper) leave(el *bpmn.Element, scope *ElementInstance) {
	if s.gone(scope) {
		return
	}
	if len(el.Outgoing) == 0 {
		s.scopeDone(scope)
		return
	}
	for _, f := range el.Outgoing {
		s.enter(s.m.Flows[f].Target, scope, f)
	}
}

// join is a parallel gateway: it waits until a token has arrived on each incoming flow, then goes on with
// one token on each outgoing flow.
func (s *stepper) join(el *bpmn.Element, scope *ElementInstance, flow string) {
	if len(el.Incoming) > 1 {
		if scope.Joins == nil {
			scope.Joins = map[string][]string{}
		}
		arrived := append(scope.Joins[el.ID], flow)
		for _, in := range el.Incoming {
			if !slices.Contains(arrived, in) {
				scope.Joins[el.ID] = arrived
				return
			}
		}
		// One token from each incoming flow is consumed; further ones (a flow that arrived twice) wait for
		// the next round.
		for _, in := range el.Incoming {
			i := slices.Index(arrived, in)
			arrived = slices.Delete(arrived, i, i+1)
		}
		if len(arrived) == 0 {
			delete(scope.Joins, el.ID)
		} else {
			scope.Joins[el.ID] = arrived
		}
	}
	s.history(HistoryElementCompleted, el.ID, scope.ID, nil)
	s.leave(el, scope)
}

// exclusive is an exclusive gateway: the first outgoing flow whose condition holds, else the default flow;
// none is an incident on an element instance of the gateway (resolving it enters the gateway again).
func (s *stepper) exclusive(el *bpmn.Element, scope *ElementInstance) {
	fail := func(kind, msg string) {
		s.stuck(s.newEI(el.ID, scope), kind, msg, opActivate, "", nil)
	}
	chosen := ""
	if len(el.Outgoing) == 1 {
		chosen = el.Outgoing[0]
	}
	vars := s.visible(scope)
	for _, id := range el.Outgoing {
		f := s.m.Flows[id]
		if chosen != "" || f.Condition == "" {
			continue
		}
		ok, err := s.evalBool(f.Condition, vars)
		if err != nil {
			fail(IncidentExpression, fmt.Sprintf("the condition of flow %s (%s) failed: %v", f.ID, f.Condition, err))
			return
		}
		if ok {
			chosen = id
		}
	}
	if chosen == "" {
		chosen = el.Default
	}
	if chosen == "" {
		fail(IncidentCondition, "no condition of gateway "+el.ID+" holds and it has no default flow: change the variables and resolve the incident")
		return
	}
	s.history(HistoryElementCompleted, el.ID, scope.ID, map[string]any{"flow": chosen})
	s.enter(s.m.Flows[chosen].Target, scope, chosen)
}

// end is an end event reached inside scope.
func (s *stepper) end(el *bpmn.Element, scope *ElementInstance) {
	s.history(HistoryElementCompleted, el.ID, scope.ID, nil)
	switch el.Event {
	case bpmn.EventTerminate:
		for _, c := range s.st.children(scope.ID) {
			s.terminate(c)
		}
		scope.Joins = nil
		s.scopeDone(scope)
	case bpmn.EventError:
		s.throwError(scope, el.ErrorCode, "error end event "+el.ID)
	default:
		s.scopeDone(scope)
	}
}

// scopeDone completes scope when nothing is left in it: no element instance, no token waiting at a join.
func (s *stepper) scopeDone(scope *ElementInstance) {
	if s.gone(scope) || scope.Body != nil || len(scope.Joins) > 0 || len(s.st.children(scope.ID)) > 0 {
		return
	}
	if scope.Parent == "" {
		s.finish(StatusCompleted, "")
		return
	}
	s.complete(scope, nil)
}

// finish ends the instance: what is still running is terminated; the root's variables are kept.
func (s *stepper) finish(status Status, errorCode string) {
	root := s.st.Root()
	if root != nil {
		s.st.Variables = root.Vars
		for _, c := range s.st.children(root.ID) {
			s.terminate(c)
		}
		s.closeWaits(root)
		delete(s.st.Elements, root.ID)
	}
	s.st.Status, s.st.ErrorCode = status, errorCode
	s.fx.Ended = &End{Status: status, Variables: s.st.Variables, ErrorCode: errorCode, Parent: s.st.Parent}
	s.history(HistoryInstanceEnded, s.m.ID, "", map[string]any{"status": string(status), "errorCode": errorCode})
}

// remove deletes a finished element instance.
func (s *stepper) remove(ei *ElementInstance) {
	delete(s.st.Elements, ei.ID)
}

// terminate cancels ei and everything inside it, with whatever they wait for.
func (s *stepper) terminate(ei *ElementInstance) {
	for _, c := range s.st.children(ei.ID) {
		s.terminate(c)
	}
	s.closeWaits(ei)
	s.remove(ei)
	s.history(HistoryElementTerminated, ei.Element, ei.ID, nil)
}

// closeWaits cancels what ei waits for: its job, user task, timers, subscriptions, child instance, incident.
func (s *stepper) closeWaits(ei *ElementInstance) {
	for _, id := range sortedKeys(s.st.Jobs) {
		if s.st.Jobs[id] == ei.ID {
			delete(s.st.Jobs, id)
			s.fx.CancelJobs = append(s.fx.CancelJobs, id)
		}
	}
	for _, id := range sortedKeys(s.st.Tasks) {
		if s.st.Tasks[id] == ei.ID {
			delete(s.st.Tasks, id)
			s.fx.CancelUserTasks = append(s.fx.CancelUserTasks, id)
		}
	}
	for _, id := range sortedKeys(s.st.Timers) {
		if s.st.Timers[id].Element == ei.ID {
			delete(s.st.Timers, id)
			s.fx.CancelTimers = append(s.fx.CancelTimers, id)
		}
	}
	for _, id := range sortedKeys(s.st.Subs) {
		if s.st.Subs[id].Element == ei.ID {
			delete(s.st.Subs, id)
			s.fx.CloseSubscriptions = append(s.fx.CloseSubscriptions, id)
		}
	}
	for _, id := range sortedKeys(s.st.Children) {
		if s.st.Children[id] == ei.ID {
			delete(s.st.Children, id)
			s.fx.CancelChildren = append(s.fx.CancelChildren, id)
		}
	}
	for _, id := range sortedKeys(s.st.Incidents) {
		if s.st.Incidents[id] == ei.ID {
			delete(s.st.Incidents, id)
			s.fx.ResolvedIncidents = append(s.fx.ResolvedIncidents, id)
		}
	}
	ei.Incident = nil
}

// stuck raises an incident on ei: the instance goes no further on this path until it is resolved, when op
// is redone (with vars for a completion).
func (s *stepper) stuck(ei *ElementInstance, kind, msg, op, flow string, vars map[string]any) {
	if op == opActivate {
		s.closeWaits(ei) // whatever the activation opened is opened again when it is redone
	}
	id := s.st.nextID()
	ei.Incident = &Stuck{ID: id, Op: op, Flow: flow, Vars: vars}
	s.st.Incidents[id] = ei.ID
	s.fx.Incidents = append(s.fx.Incidents, Incident{ID: id, Element: ei.Element, EI: ei.ID, Kind: kind, Message: msg})
	s.history(HistoryIncidentRaised, ei.Element, ei.ID, map[string]any{"incident": id, "kind": kind})
}
