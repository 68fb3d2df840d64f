package bpmn

import (
	"strings"
)

// FormKeyPrefix starts the form key of a Camunda form embedded in the process (zeebe:userTaskForm).
const FormKeyPrefix = "camunda-forms:bpmn:"

// validate checks what the engine needs of each element once the references are linked.
func (p *parser) validate(proc *Process) {
	root := proc.Root()
	if root.NoneStart == "" && len(root.EventStarts) == 0 && proc.ID != "" {
		p.add(proc.ID, proc.Line, "the process has no start event")
	}
	for _, el := range sortedElements(proc) {
		p.checkFlows(proc, el)
		p.checkElement(proc, el)
		if el.Loop != nil && !el.Kind.IsActivity() {
			p.add(el.ID, el.Line, "only activities can be multi-instance")
		}
		if el.Assignment != nil {
			p.checkForm(proc, el)
		}
	}
	for _, f := range sortedFlows(proc) {
		src := proc.Elements[f.Source]
		if f.Condition != "" && src != nil && src.Kind != ExclusiveGateway {
			p.add(f.ID, f.Line, "only a flow leaving an exclusive gateway may have a condition (this one leaves %s, a %s)", src.ID, src.Kind)
		}
	}
}

// checkFlows checks an element's sequence flows: what must have an incoming flow, what may have none.
func (p *parser) checkFlows(proc *Process, el *Element) {
	switch el.Kind {
	case StartEvent, BoundaryEvent:
		if len(el.Incoming) > 0 {
			p.add(el.ID, el.Line, "a %s cannot have incoming sequence flows", el.Kind)
		}
	default:
		if len(el.Incoming) == 0 {
			p.add(el.ID, el.Line, "the %s has no incoming sequence flow, so it can never be reached", el.Kind)
		}
	}
	if el.Kind == EndEvent && len(el.Outgoing) > 0 {
		p.add(el.ID, el.Line, "an end event cannot have outgoing sequence flows")
	}
	if el.Default != "" {
		f, ok := proc.Flows[el.Default]
		switch {
		case el.Kind != ExclusiveGateway:
			p.add(el.ID, el.Line, "a default flow is run only on exclusive gateways")
		case !ok || f.Source != el.ID:
			p.add(el.ID, el.Line, "the default flow %q is not one of the gateway's outgoing flows", el.Default)
		case f.Condition != "":
			p.add(el.ID, el.Line, "the default flow %s has a condition: a default flow is taken when no condition holds", el.Default)
		}
	}
}

// checkElement checks what each kind of element needs to run.
func (p *parser) checkElement(proc *Process, el *Element) {
	switch el.Kind {
	case StartEvent:
		p.checkStart(el)
	case EndEvent:
		p.checkEnd(el)
	case IntermediateCatchEvent:
		p.checkCatch(el)
	case IntermediateThrowEvent:
		switch el.Event {
		case EventNone:
		case EventMessage:
			p.needJob(el, "a message throw event is run by a job (e.g. the built-in govstack:publish-message)")
		default:
			p.add(el.ID, el.Line, "an intermediate throw event with a %s definition is not run by this engine", el.Event)
		}
	case BoundaryEvent:
		p.checkBoundary(el)
	case ServiceTask, SendTask:
		p.needJob(el, "workers and connectors activate jobs by type")
	case ScriptTask:
		p.checkScript(el)
	case ReceiveTask:
		p.needCorrelation(el)
	case ExclusiveGateway:
		p.checkExclusive(proc, el)
	case EventBasedGateway:
		p.checkEventGateway(proc, el)
	case SubProcess:
		if proc.Scopes[el.ID].NoneStart == "" {
			p.add(el.ID, el.Line, "the sub-process has no start event")
		}
	case CallActivity:
		if el.Call == nil || el.Call.ProcessID == "" {
			p.add(el.ID, el.Line, "the call activity names no process: set zeebe:calledElement processId")
		}
	}
}

func (p *parser) checkStart(el *Element) {
	switch el.Event {
	case EventNone:
	case EventTimer:
		if el.Timer != nil && el.Timer.Type == TimerDuration {
			p.add(el.ID, el.Line, "a timer start event needs a date or a cycle (a duration from what?)")
		}
	case EventMessage:
		if el.Message != nil && strings.HasPrefix(el.Message.Name, "=") {
			p.add(el.ID, el.Line, "a message start event needs a fixed message name, not an expression")
		}
	default:
		p.add(el.ID, el.Line, "a start event with a %s definition is not run by this engine", el.Event)
	}
}

func (p *parser) checkEnd(el *Element) {
	switch el.Event {
	case EventNone, EventTerminate:
	case EventError:
		if el.ErrorCode == "" {
			p.add(el.ID, el.Line, "the error end event throws no error code: reference a bpmn:error with an errorCode")
		}
	default:
		p.add(el.ID, el.Line, "an end event with a %s definition is not run by this engine", el.Event)
	}
}

func (p *parser) checkCatch(el *Element) {
	switch el.Event {
	case EventTimer:
		if el.Timer != nil && el.Timer.Type == TimerCycle {
			p.add(el.ID, el.Line, "an intermediate timer waits once: give it a date or a duration, not a cycle")
		}
	case EventMessage:
		p.needCorrelation(el)
	default:
		p.add(el.ID, el.Line, "an intermediate catch event must wait for a timer or a message")
	}
}

func (p *parser) checkBoundary(el *Element) {
	switch el.Event {
	case EventTimer:
		if el.Timer != nil && el.Timer.Type == TimerCycle && el.Interrupting {
			p.add(el.ID, el.Line, "a repeating (cycle) timer on an interrupting boundary event fires once: make it non-interrupting or use a duration")
		}
	case EventMessage:
		p.needCorrelation(el)
	case EventError:
		if !el.Interrupting {
			p.add(el.ID, el.Line, "an error boundary event always interrupts its activity")
		}
	default:
		p.add(el.ID, el.Line, "a boundary event must catch a timer, a message or an error")
	}
}

func (p *parser) needJob(el *Element, why string) {
	if el.Job == nil || el.Job.Type == "" {
		p.add(el.ID, el.Line, "the %s has no job type: set zeebe:taskDefinition type (%s)", el.Kind, why)
	}
}

func (p *parser) needCorrelation(el *Element) {
	if el.Message != nil && el.Message.CorrelationKey == "" {
		p.add(el.ID, el.Line, "the message %q has no correlation key: set it (zeebe:subscription correlationKey), so a "+
			"message reaches the right instance", el.Message.Name)
	}
}

func (p *parser) checkScript(el *Element) {
	switch {
	case el.Script != nil && el.Job != nil:
		p.add(el.ID, el.Line, "the script task has both an inline script and a job type: choose one")
	case el.Script != nil:
		p.requiredExpression(el.ID, el.Line, "the script", el.Script.Expression)
		if !validTarget(el.Script.ResultVariable) {
			p.add(el.ID, el.Line, "the script's result variable %q is not a variable name", el.Script.ResultVariable)
		}
	case el.Job != nil:
		p.needJob(el, "a worker runs the script")
	default:
		p.add(el.ID, el.Line, "the script task has no script: set zeebe:script expression and resultVariable, or a job type")
	}
}

func (p *parser) checkExclusive(proc *Process, el *Element) {
	if len(el.Outgoing) < 2 {
		return
	}
	for _, id := range el.Outgoing {
		if f := proc.Flows[id]; id != el.Default && f.Condition == "" {
			p.add(f.ID, f.Line, "the flow leaves exclusive gateway %s without a condition and is not its default flow", el.ID)
		}
	}
}

func (p *parser) checkEventGateway(proc *Process, el *Element) {
	if len(el.Outgoing) < 2 {
		p.add(el.ID, el.Line, "an event-based gateway needs at least two outgoing flows, each to the event it waits for")
	}
	for _, id := range el.Outgoing {
		t := proc.Elements[proc.Flows[id].Target]
		switch {
		case t.Kind != IntermediateCatchEvent || (t.Event != EventTimer && t.Event != EventMessage):
			p.add(el.ID, el.Line, "the event-based gateway leads to %s, a %s: it may lead only to timer and message catch events", t.ID, t.Kind)
		case len(t.Incoming) != 1:
			p.add(t.ID, t.Line, "an event after an event-based gateway may have no other incoming flow")
		}
	}
}

// checkForm checks a user task's form reference: an embedded form must be in the file.
func (p *parser) checkForm(proc *Process, el *Element) {
	a := el.Assignment
	switch {
	case a.FormKey != "" && a.FormID != "":
		p.add(el.ID, el.Line, "the user task sets both formKey and formId: choose one")
	case a.FormKey != "" && !strings.HasPrefix(a.FormKey, FormKeyPrefix):
		p.add(el.ID, el.Line, "the form key %q is not an embedded Camunda form (%s<id>): embed the form or set formId", a.FormKey, FormKeyPrefix)
	case a.FormKey != "":
		if _, ok := proc.Forms[strings.TrimPrefix(a.FormKey, FormKeyPrefix)]; !ok {
			p.add(el.ID, el.Line, "the form %q is not embedded in the process (zeebe:userTaskForm)", a.FormKey)
		}
	}
}
