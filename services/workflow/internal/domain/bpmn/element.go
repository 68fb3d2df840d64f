package bpmn

import "strings"

// unsupportedEvents are event definitions the engine does not run.
var unsupportedEvents = map[string]string{
	"signalEventDefinition":      "signal events",
	"escalationEventDefinition":  "escalation events",
	"compensateEventDefinition":  "compensation",
	"conditionalEventDefinition": "conditional events",
	"linkEventDefinition":        "link events",
	"cancelEventDefinition":      "cancel events",
}

// element reads one flow node of scope.
func (p *parser) element(proc *Process, n *node, kind Kind, scope string) *Element {
	el := &Element{ID: n.attr("id"), Name: n.attr("name"), Kind: kind, Line: n.line, Scope: scope,
		Default: n.attr("default"), AttachedTo: n.attr("attachedToRef"), Interrupting: n.attr("cancelActivity") != "false"}
	if el.ID == "" {
		p.at(n, "the %s has no id", kind)
		return nil
	}
	p.checkForeignAttrs(n)
	if n.attr("isForCompensation") == "true" {
		p.at(n, "compensation is not run by this engine")
	}
	if kind == SubProcess && n.attr("triggeredByEvent") == "true" {
		p.at(n, "event sub-processes are not run by this engine: use boundary events on a sub-process")
		return nil
	}
	if kind == CallActivity && n.hasAttr("calledElement") {
		p.at(n, "the calledElement attribute is not read: name the process in zeebe:calledElement processId")
	}
	defs := 0
	for _, c := range n.children {
		if c.name.Space != nsBPMN {
			p.at(c, "%s is not part of BPMN 2.0 and is not run", qualified(c.name.Space, c.name.Local))
			continue
		}
		switch local := c.name.Local; {
		case strings.HasSuffix(local, "EventDefinition"):
			defs++
			p.eventDefinition(el, c)
		case local == "extensionElements":
			p.extensions(el, c)
		case local == "multiInstanceLoopCharacteristics":
			el.Loop = p.loop(el, c)
		case local == "standardLoopCharacteristics":
			p.at(n, "standard loops are not run by this engine: use multi-instance over a collection")
		case kind == SubProcess && isFlowContent(local):
			// read below, as the sub-process's own scope
		case ignoredData[local]:
		default:
			p.at(c, "bpmn:%s inside a %s is not run by this engine", local, kind)
		}
	}
	if defs > 1 {
		p.at(n, "an event with several event definitions (a multiple event) is not run by this engine")
	}
	if kind == SubProcess {
		p.scope(proc, n, el.ID)
	}
	if kind == ReceiveTask {
		if ref := n.attr("messageRef"); ref != "" {
			el.Event, el.Message = EventMessage, p.messageOf(n, ref)
		} else {
			p.at(n, "the receive task has no message: set its message (name and correlation key)")
		}
	}
	proc.Elements[el.ID] = el
	return el
}

// isFlowContent reports whether a child of a sub-process belongs to its own scope.
func isFlowContent(local string) bool {
	_, isNode := flowNodeKinds[local]
	return isNode || local == "sequenceFlow" || artifactKinds[local] || unsupported[local] != "" || local == "laneSet"
}

// eventDefinition reads an event definition of el.
func (p *parser) eventDefinition(el *Element, n *node) {
	switch local := n.name.Local; local {
	case "timerEventDefinition":
		el.Event, el.Timer = EventTimer, p.timer(el, n)
	case "messageEventDefinition":
		el.Event = EventMessage
		if ref := n.attr("messageRef"); ref != "" {
			el.Message = p.messageOf(n, ref)
		} else {
			p.add(el.ID, n.line, "the message event has no message: set its message (name and correlation key)")
		}
	case "errorEventDefinition":
		el.Event = EventError
		if ref := n.attr("errorRef"); ref != "" {
			el.ErrorCode, _ = p.errorCodeOf(n, ref)
		}
	case "terminateEventDefinition":
		el.Event = EventTerminate
	default:
		if what, ok := unsupportedEvents[local]; ok {
			p.add(el.ID, n.line, "%s are not run by this engine", what)
		} else {
			p.add(el.ID, n.line, "bpmn:%s is not run by this engine", local)
		}
	}
}

// timer reads a timer event definition: exactly one of timeDate, timeDuration and timeCycle.
func (p *parser) timer(el *Element, n *node) *Timer {
	var t *Timer
	for _, c := range n.children {
		var typ TimerType
		switch {
		case c.is(nsBPMN, "timeDate"):
			typ = TimerDate
		case c.is(nsBPMN, "timeDuration"):
			typ = TimerDuration
		case c.is(nsBPMN, "timeCycle"):
			typ = TimerCycle
		default:
			continue
		}
		if t != nil {
			p.add(el.ID, c.line, "the timer has more than one of timeDate, timeDuration and timeCycle")
			return t
		}
		t = &Timer{Type: typ, Value: c.content()}
	}
	if t == nil || t.Value == "" {
		p.add(el.ID, n.line, "the timer has no value: set a date (ISO 8601), a duration (e.g. PT15M) or a cycle (R3/PT1H, or cron)")
		return nil
	}
	if strings.HasPrefix(t.Value, "=") {
		p.expression(el.ID, n.line, "the timer", t.Value)
	} else if p.opts.CheckTimer != nil {
		if err := p.opts.CheckTimer(t.Type, t.Value); err != nil {
			p.add(el.ID, n.line, "the timer's %s %q is not valid: %v", t.Type, t.Value, err)
		}
	}
	return t
}

// loop reads a multi-instance marker and its zeebe:loopCharacteristics.
func (p *parser) loop(el *Element, n *node) *Loop {
	l := &Loop{Sequential: n.attr("isSequential") == "true"}
	found := false
	for _, c := range n.children {
		switch {
		case c.is(nsBPMN, "extensionElements"):
			for _, e := range c.children {
				if !e.is(nsZeebe, "loopCharacteristics") {
					p.add(el.ID, e.line, "%s on a multi-instance marker is not run by this engine", qualified(e.name.Space, e.name.Local))
					continue
				}
				found = true
				l.InputCollection, l.InputElement = e.attr("inputCollection"), e.attr("inputElement")
				l.OutputCollection, l.OutputElement = e.attr("outputCollection"), e.attr("outputElement")
			}
		case c.is(nsBPMN, "completionCondition"):
			l.CompletionCondition = c.content()
		case c.is(nsBPMN, "loopCardinality"):
			p.add(el.ID, c.line, "a loop cardinality is not run: give the multi-instance an input collection")
		case c.name.Space == nsBPMN && ignoredData[c.name.Local]:
		default:
			p.add(el.ID, c.line, "%s in a multi-instance marker is not run by this engine", qualified(c.name.Space, c.name.Local))
		}
	}
	if !found || l.InputCollection == "" {
		p.add(el.ID, n.line, "the multi-instance has no input collection: set zeebe:loopCharacteristics inputCollection (e.g. =panel)")
		return l
	}
	p.requiredExpression(el.ID, n.line, "the input collection", l.InputCollection)
	if (l.OutputCollection == "") != (l.OutputElement == "") {
		p.add(el.ID, n.line, "the multi-instance sets only one of output collection and output element: set both or neither")
	}
	if l.OutputElement != "" {
		p.requiredExpression(el.ID, n.line, "the output element", l.OutputElement)
	}
	if l.CompletionCondition != "" {
		p.requiredExpression(el.ID, n.line, "the completion condition", l.CompletionCondition)
	}
	return l
}
