package engine

import (
	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// childEnded goes on from a call activity whose child instance ended.
func (s *stepper) childEnded(t ChildEnded) error {
	ei, err := s.waiting(s.st.Children[t.ChildID], "child instance")
	if err != nil {
		return err
	}
	delete(s.st.Children, t.ChildID)
	s.history(HistoryChildInstanceEnded, ei.Element, ei.ID, map[string]any{"child": t.ChildID, "status": string(t.Status)})
	el := s.m.Elements[ei.Element]
	switch t.Status {
	case StatusCompleted:
		vars := t.Vars
		if !el.Call.PropagateAllChildVariables && len(el.Outputs) == 0 {
			vars = nil
		}
		s.complete(ei, vars)
	case StatusFailed:
		s.throwError(ei, t.ErrorCode, "called instance "+t.ChildID+" failed")
	default:
		s.stuck(ei, IncidentCalledProcess, "the called instance "+t.ChildID+" was "+string(t.Status)+
			"; resolve the incident to call the process again", opActivate, "", nil)
	}
	return nil
}

// childStartFailed is an incident on the call activity: the called process could not be started.
func (s *stepper) childStartFailed(t ChildStartFailed) error {
	ei, err := s.waiting(s.st.Children[t.ChildID], "child instance")
	if err != nil {
		return err
	}
	delete(s.st.Children, t.ChildID)
	s.stuck(ei, IncidentCalledProcess, t.Message, opActivate, "", nil)
	return nil
}

// cancel terminates the instance. An instance a call activity started is stopped through its parent: the
// parent would otherwise wait for it for ever.
func (s *stepper) cancel(t Cancel) error {
	if s.st.Parent != nil && !t.ByParent {
		return apierr.FailedPrecondition(ReasonCalledInstance, "this instance was started by instance "+
			s.st.Parent.InstanceID+" (a call activity): stop that one")
	}
	s.finish(StatusTerminated, "")
	if t.ByParent {
		s.fx.Ended.Parent = nil // the parent cancelled it and waits for nothing
	}
	return nil
}

// resolveIncident redoes what an incident stopped.
func (s *stepper) resolveIncident(t ResolveIncident) error {
	ei, err := s.waiting(s.st.Incidents[t.IncidentID], "incident")
	if err != nil {
		return err
	}
	stuck := ei.Incident
	delete(s.st.Incidents, t.IncidentID)
	ei.Incident = nil
	s.fx.ResolvedIncidents = append(s.fx.ResolvedIncidents, t.IncidentID)
	s.history(HistoryIncidentResolved, ei.Element, ei.ID, map[string]any{"incident": t.IncidentID})
	el := s.m.Elements[ei.Element]
	if stuck == nil {
		return nil
	}
	switch {
	case isPassing(el) && stuck.Op == opComplete:
		// An event that passes without an instance of its own got one only to hold the incident.
		scope := s.parent(ei)
		s.remove(ei)
		s.passEvent(el, scope, stuck.Vars)
	case isPassing(el):
		scope := s.parent(ei)
		s.remove(ei)
		s.enter(el.ID, scope, stuck.Flow)
	case stuck.Op == opActivate:
		s.activate(ei)
	case stuck.Op == opComplete:
		s.complete(ei, stuck.Vars)
	case stuck.Op == opInnerDone:
		s.innerDone(el, ei)
	case stuck.Op == opAfterInner:
		s.afterInner(el, ei)
	}
	return nil
}

// isPassing reports whether el normally passes without an element instance of its own (gateways, events
// that do not wait).
func isPassing(el *bpmn.Element) bool {
	switch el.Kind {
	case bpmn.ExclusiveGateway, bpmn.ParallelGateway, bpmn.StartEvent, bpmn.EndEvent, bpmn.BoundaryEvent:
		return true
	case bpmn.IntermediateThrowEvent:
		return el.Event == bpmn.EventNone
	case bpmn.IntermediateCatchEvent:
		return false
	}
	return false
}

// setVariables sets variables on a scope: an operator fixing what an incident needs.
func (s *stepper) setVariables(t SetVariables) error {
	ei := s.st.Root()
	if t.EI != "" {
		var err error
		if ei, err = s.waiting(t.EI, "element instance"); err != nil {
			return err
		}
	}
	if ei == nil {
		return apierr.FailedPrecondition(ReasonInstanceEnded, "the instance has ended")
	}
	if ei.Vars == nil {
		ei.Vars = map[string]any{}
	}
	created, updated := []string{}, []string{}
	for _, k := range sortedKeys(t.Vars) {
		if _, ok := ei.Vars[k]; ok {
			updated = append(updated, k)
		} else {
			created = append(created, k)
		}
		ei.Vars[k] = t.Vars[k]
	}
	s.history(HistoryVariablesChanged, ei.Element, ei.ID, map[string]any{"created": created, "updated": updated})
	return nil
}
