package engine

import (
	"fmt"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// complete finishes an element instance with the variables its work produced (a job's, a form's, a
// message's): output mappings (or plain propagation), then on along the outgoing flows.
func (s *stepper) complete(ei *ElementInstance, vars map[string]any) {
	el := s.m.Elements[ei.Element]
	if err := s.applyOutputs(el, ei, vars); err != nil {
		s.stuck(ei, IncidentExpression, fmt.Sprintf("an output mapping of %s failed: %v", el.ID, err), opComplete, "", vars)
		return
	}
	if ei.Loop > 0 {
		s.innerDone(el, ei)
		return
	}
	scope := s.parent(ei)
	s.closeWaits(ei)
	s.remove(ei)
	s.history(HistoryElementCompleted, el.ID, ei.ID, nil)
	s.leave(el, scope)
}

// applyOutputs puts what an element produced into the process's variables: through its output mappings
// into the enclosing scope, or, without mappings, each variable where it is already defined (else in the
// root scope).
func (s *stepper) applyOutputs(el *bpmn.Element, ei *ElementInstance, vars map[string]any) error {
	if len(el.Outputs) == 0 {
		if len(vars) > 0 {
			s.propagate(ei, vars)
		}
		return nil
	}
	ctx := s.visible(ei)
	for k, v := range vars {
		ctx[k] = v
	}
	out := map[string]any{}
	for _, m := range el.Outputs {
		v, err := s.eval(m.Source, ctx)
		if err != nil {
			return fmt.Errorf("%s -> %s: %w", m.Source, m.Target, err)
		}
		setPath(out, m.Target, v, ctx)
	}
	if scope := s.parent(ei); scope != nil {
		s.propagate(scope, out)
	}
	return nil
}

// applyInputs sets an element instance's input mappings as its local variables.
func (s *stepper) applyInputs(el *bpmn.Element, ei *ElementInstance) error {
	if len(el.Inputs) == 0 {
		return nil
	}
	ctx := s.visible(ei)
	if ei.Vars == nil {
		ei.Vars = map[string]any{}
	}
	for _, m := range el.Inputs {
		v, err := s.eval(m.Source, ctx)
		if err != nil {
			return fmt.Errorf("%s -> %s: %w", m.Source, m.Target, err)
		}
		setPath(ei.Vars, m.Target, v, ctx)
		ctx[rootName(m.Target)] = ei.Vars[rootName(m.Target)] // later inputs see earlier ones
	}
	return nil
}

// activateBody starts a multi-instance: one inner instance per item of the input collection, all at once
// (parallel) or one after the other (sequential).
func (s *stepper) activateBody(body *ElementInstance) {
	el := s.m.Elements[body.Element]
	raw, err := s.eval(el.Loop.InputCollection, s.visible(body))
	if err != nil {
		s.stuck(body, IncidentExpression, fmt.Sprintf("the input collection %s of %s failed: %v", el.Loop.InputCollection, el.ID, err), opActivate, "", nil)
		return
	}
	items, ok := asList(raw)
	if !ok {
		s.stuck(body, IncidentNotACollection, fmt.Sprintf("the input collection %s of %s is not a list (got %T)", el.Loop.InputCollection, el.ID, raw), opActivate, "", nil)
		return
	}
	body.Body.Items, body.Body.Outputs, body.Body.Next, body.Body.Completed = items, make([]any, len(items)), 0, 0
	if err := s.openBoundaries(el, body); err != nil {
		s.stuck(body, IncidentExpression, fmt.Sprintf("activating %s failed: %v", el.ID, err), opActivate, "", nil)
		return
	}
	if len(items) == 0 {
		s.completeBody(el, body)
		return
	}
	if el.Loop.Sequential {
		s.startInner(el, body)
		return
	}
	for range items {
		if s.gone(body) {
			return // an inner instance ended the body (its completion condition held at once)
		}
		s.startInner(el, body)
	}
}

// startInner starts the inner instance for the next item of body.
func (s *stepper) startInner(el *bpmn.Element, body *ElementInstance) {
	i := body.Body.Next
	body.Body.Next++
	inner := s.newEI(el.ID, body)
	inner.Loop = i + 1
	inner.Vars = map[string]any{"loopCounter": i + 1}
	if el.Loop.InputElement != "" {
		inner.Vars[el.Loop.InputElement] = body.Body.Items[i]
	}
	s.history(HistoryElementActivated, el.ID, inner.ID, map[string]any{"loopCounter": i + 1})
	s.activate(inner)
}

// innerDone records an inner instance's output, then either ends the body (all done, or the completion
// condition holds) or starts the next item (sequential).
func (s *stepper) innerDone(el *bpmn.Element, inner *ElementInstance) {
	body := s.parent(inner)
	if el.Loop.OutputElement != "" {
		v, err := s.eval(el.Loop.OutputElement, s.visible(inner))
		if err != nil {
			s.stuck(inner, IncidentExpression, fmt.Sprintf("the output element %s of %s failed: %v", el.Loop.OutputElement, el.ID, err), opInnerDone, "", nil)
			return
		}
		body.Body.Outputs[inner.Loop-1] = v
	}
	s.closeWaits(inner)
	s.remove(inner)
	s.history(HistoryElementCompleted, el.ID, inner.ID, map[string]any{"loopCounter": inner.Loop})
	body.Body.Completed++
	s.afterInner(el, body)
}

// afterInner decides what a multi-instance body does once an inner instance has completed.
func (s *stepper) afterInner(el *bpmn.Element, body *ElementInstance) {
	active := len(s.st.children(body.ID))
	if el.Loop.CompletionCondition != "" {
		vars := s.visible(body)
		vars["numberOfInstances"] = len(body.Body.Items)
		vars["numberOfActiveInstances"] = active
		vars["numberOfCompletedInstances"] = body.Body.Completed
		vars["numberOfTerminatedInstances"] = 0
		done, err := s.evalBool(el.Loop.CompletionCondition, vars)
		if err != nil {
			s.stuck(body, IncidentExpression, fmt.Sprintf("the completion condition of %s failed: %v", el.ID, err), opAfterInner, "", nil)
			return
		}
		if done {
			for _, c := range s.st.children(body.ID) {
				s.terminate(c)
			}
			s.completeBody(el, body)
			return
		}
	}
	switch {
	case el.Loop.Sequential && body.Body.Next < len(body.Body.Items):
		s.startInner(el, body)
	case active == 0 && body.Body.Next >= len(body.Body.Items):
		s.completeBody(el, body)
	}
}

// completeBody ends a multi-instance: the output collection goes to the enclosing scope.
func (s *stepper) completeBody(el *bpmn.Element, body *ElementInstance) {
	scope := s.parent(body)
	if el.Loop.OutputCollection != "" {
		out := map[string]any{}
		setPath(out, el.Loop.OutputCollection, append([]any{}, body.Body.Outputs...), s.visible(scope))
		s.propagate(scope, out)
	}
	s.closeWaits(body)
	s.remove(body)
	s.history(HistoryElementCompleted, el.ID, body.ID, nil)
	s.leave(el, scope)
}
