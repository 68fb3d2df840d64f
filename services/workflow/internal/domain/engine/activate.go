package engine

import (
	"fmt"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// activate runs an element instance's activation: its input mappings, then what its kind does — wait for a
// job, a user task, a timer, a message or a child instance, enter a sub-process, or complete at once.
func (s *stepper) activate(ei *ElementInstance) {
	el := s.m.Elements[ei.Element]
	if ei.Body != nil {
		s.activateBody(ei)
		return
	}
	if err := s.applyInputs(el, ei); err != nil {
		s.stuck(ei, IncidentExpression, fmt.Sprintf("an input mapping of %s failed: %v", el.ID, err), opActivate, "", nil)
		return
	}
	var err error
	switch el.Kind {
	case bpmn.Task, bpmn.ManualTask:
		s.complete(ei, nil)
		return
	case bpmn.ScriptTask:
		if el.Script != nil {
			s.runScript(el, ei)
			return
		}
		err = s.createJob(el, ei)
	case bpmn.ServiceTask, bpmn.SendTask, bpmn.IntermediateThrowEvent:
		err = s.createJob(el, ei)
	case bpmn.UserTask:
		err = s.createUserTask(el, ei)
	case bpmn.ReceiveTask:
		err = s.subscribe(el, ei)
	case bpmn.IntermediateCatchEvent:
		err = s.catch(el, ei)
	case bpmn.EventBasedGateway:
		for _, f := range el.Outgoing {
			if err = s.catch(s.m.Elements[s.m.Flows[f].Target], ei); err != nil {
				break
			}
		}
	case bpmn.CallActivity:
		err = s.startChild(el, ei)
	}
	if err == nil && el.Kind.IsActivity() && ei.Loop == 0 {
		err = s.openBoundaries(el, ei) // an inner instance's boundaries are on its multi-instance body
	}
	if err != nil {
		s.stuck(ei, IncidentExpression, fmt.Sprintf("activating %s failed: %v", el.ID, err), opActivate, "", nil)
		return
	}
	if el.Kind == bpmn.SubProcess {
		s.enter(s.m.Scopes[el.ID].NoneStart, ei, "")
	}
}

// runScript evaluates a script task's expression into its result variable.
func (s *stepper) runScript(el *bpmn.Element, ei *ElementInstance) {
	v, err := s.eval(el.Script.Expression, s.visible(ei))
	if err != nil {
		s.stuck(ei, IncidentExpression, fmt.Sprintf("the script of %s failed: %v", el.ID, err), opActivate, "", nil)
		return
	}
	vars := map[string]any{}
	setPath(vars, el.Script.ResultVariable, v, nil)
	s.complete(ei, vars)
}

// catch makes ei wait for the timer or message of event el (ei is el's own instance, or an event-based
// gateway's).
func (s *stepper) catch(el *bpmn.Element, ei *ElementInstance) error {
	if el.Event == bpmn.EventTimer {
		return s.schedule(el, ei)
	}
	return s.subscribe(el, ei)
}

// openBoundaries makes an activity wait for its boundary timers and messages too (errors need no wait).
func (s *stepper) openBoundaries(el *bpmn.Element, ei *ElementInstance) error {
	for _, id := range el.Boundaries {
		b := s.m.Elements[id]
		var err error
		switch b.Event {
		case bpmn.EventTimer:
			err = s.schedule(b, ei)
		case bpmn.EventMessage:
			err = s.subscribe(b, ei)
		}
		if err != nil {
			return fmt.Errorf("boundary event %s: %w", b.ID, err)
		}
	}
	return nil
}

// createJob asks for a job of the element's type.
func (s *stepper) createJob(el *bpmn.Element, ei *ElementInstance) error {
	vars := s.visible(ei)
	typ, err := s.evalString(el.Job.Type, vars)
	if err != nil || typ == "" {
		return fmt.Errorf("the job type %q gave %q: %v", el.Job.Type, typ, err)
	}
	retries := 3
	if el.Job.Retries != "" {
		if retries, err = s.evalInt(el.Job.Retries, vars); err != nil {
			return fmt.Errorf("the retries %q: %w", el.Job.Retries, err)
		}
	}
	id := s.st.nextID()
	s.st.Jobs[id] = ei.ID
	s.fx.Jobs = append(s.fx.Jobs, Job{ID: id, Type: typ, Retries: retries, Headers: el.Job.Headers, Element: el.ID, EI: ei.ID})
	return nil
}

// createUserTask asks a person to do the task.
func (s *stepper) createUserTask(el *bpmn.Element, ei *ElementInstance) error {
	t := UserTask{Element: el.ID, EI: ei.ID, Name: orWord(el.Name, el.ID)}
	if a := el.Assignment; a != nil {
		vars := s.visible(ei)
		var err error
		if t.Assignee, err = s.evalString(a.Assignee, vars); err != nil {
			return fmt.Errorf("the assignee: %w", err)
		}
		if t.CandidateGroups, err = s.evalList(a.CandidateGroups, vars); err != nil {
			return fmt.Errorf("the candidate groups: %w", err)
		}
		if t.CandidateUsers, err = s.evalList(a.CandidateUsers, vars); err != nil {
			return fmt.Errorf("the candidate users: %w", err)
		}
		if t.Due, err = s.evalTime(a.DueDate, vars); err != nil {
			return fmt.Errorf("the due date: %w", err)
		}
		if t.FollowUp, err = s.evalTime(a.FollowUpDate, vars); err != nil {
			return fmt.Errorf("the follow-up date: %w", err)
		}
		t.FormKey, t.FormID = a.FormKey, a.FormID
	}
	t.ID = s.st.nextID()
	s.st.Tasks[t.ID] = ei.ID
	s.fx.UserTasks = append(s.fx.UserTasks, t)
	return nil
}

// schedule starts timer event el for ei.
func (s *stepper) schedule(el *bpmn.Element, ei *ElementInstance) error {
	raw, err := s.eval(el.Timer.Value, s.visible(ei))
	if err != nil {
		return fmt.Errorf("the timer %q: %w", el.Timer.Value, err)
	}
	value, err := timerValue(raw)
	if err != nil {
		return fmt.Errorf("the timer %q: %w", el.Timer.Value, err)
	}
	due, ok, err := s.e.timers.Next(el.Timer.Type, value, s.now, 0)
	if err != nil {
		return fmt.Errorf("the timer %q (%s): %w", el.Timer.Value, value, err)
	}
	if !ok {
		return fmt.Errorf("the timer %q (%s) never fires", el.Timer.Value, value)
	}
	id := s.st.nextID()
	s.st.Timers[id] = TimerRef{Element: ei.ID, Event: el.ID, Value: value, Due: due}
	s.fx.Timers = append(s.fx.Timers, Timer{ID: id, Due: due, Element: el.ID, EI: ei.ID})
	return nil
}

// subscribe makes ei wait for the message of el.
func (s *stepper) subscribe(el *bpmn.Element, ei *ElementInstance) error {
	vars := s.visible(ei)
	name, err := s.evalString(el.Message.Name, vars)
	if err != nil || name == "" {
		return fmt.Errorf("the message name %q gave %q: %v", el.Message.Name, name, err)
	}
	key, err := s.evalKey(el.Message.CorrelationKey, vars)
	if err != nil {
		return fmt.Errorf("the correlation key %q: %w", el.Message.CorrelationKey, err)
	}
	id := s.st.nextID()
	s.st.Subs[id] = WaitRef{Element: ei.ID, Event: el.ID}
	s.fx.Subscriptions = append(s.fx.Subscriptions, Subscription{ID: id, Name: name, CorrelationKey: key, Element: el.ID, EI: ei.ID})
	return nil
}

// startChild asks for the called process to be started, with the variables the call activity hands over.
func (s *stepper) startChild(el *bpmn.Element, ei *ElementInstance) error {
	vars := s.visible(ei)
	process, err := s.evalString(el.Call.ProcessID, vars)
	if err != nil || process == "" {
		return fmt.Errorf("the called process %q gave %q: %v", el.Call.ProcessID, process, err)
	}
	handed := copyVars(ei.Vars) // the input mappings
	if el.Call.PropagateAllParentVariables {
		handed = vars
	}
	id := s.st.nextID()
	s.st.Children[id] = ei.ID
	s.fx.Children = append(s.fx.Children, ChildStart{ID: id, ProcessID: process, Vars: handed, Element: el.ID, EI: ei.ID})
	return nil
}
