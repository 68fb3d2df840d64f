package bpmn

import (
	"bytes"
	"strings"
)

// Options are the checks Parse delegates to the expression and timer libraries, so that an expression that
// does not compile or a timer that does not parse is a deploy-time error, not a runtime incident.
type Options struct {
	// CheckExpression reports whether an `=` expression compiles; nil accepts any.
	CheckExpression func(src string) error
	// CheckTimer reports whether a literal timer value (not an `=` expression) is valid for its type; nil
	// accepts any.
	CheckTimer func(t TimerType, value string) error
}

// Parse reads a BPMN 2.0 definitions file. It returns every problem it finds as an *Error, each naming the
// element and its line; a file it returns without error has at least one executable process, each of
// which the engine runs completely.
func Parse(data []byte, o Options) (*Definitions, error) {
	root, err := readTree(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	p := &parser{opts: o, messages: map[string]*node{}, errorDefs: map[string]*node{}, ids: map[string]int{}}
	if !root.is(nsBPMN, "definitions") {
		p.add("", root.line, "the root element is %s, not bpmn:definitions of namespace %s: send BPMN 2.0 XML as a modeler saves it",
			qualified(root.name.Space, root.name.Local), nsBPMN)
		return nil, p.err()
	}
	defs := &Definitions{ID: root.attr("id")}
	var processes []*node
	for _, c := range root.children {
		p.declare(c)
		switch {
		case c.name.Space != nsBPMN:
			if !isDiagram(c) {
				p.at(c, "%s is not part of BPMN 2.0 and is not run", qualified(c.name.Space, c.name.Local))
			}
		case c.name.Local == "process":
			processes = append(processes, c)
		case c.name.Local == "collaboration":
			p.collaboration(defs, c)
		case c.name.Local == "message":
			p.messages[c.attr("id")] = c
		case c.name.Local == "error":
			p.errorDefs[c.attr("id")] = c
		case declarations[c.name.Local]:
			// Referenced by elements (or not at all); an element that uses one the engine does not run
			// is refused where it uses it.
		default:
			p.at(c, "bpmn:%s is not run by this engine", c.name.Local)
		}
	}
	p.checkMessages()
	for _, n := range processes {
		if n.attr("isExecutable") != "true" {
			continue // a pool drawn for the reader (a supplier, another office): kept in the file, not run
		}
		defs.Processes = append(defs.Processes, p.process(n))
	}
	if len(defs.Processes) == 0 && len(p.list) == 0 {
		p.add(defs.ID, root.line, "the file has no executable process: mark the process (or the pool) as executable")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return defs, nil
}

// declarations are definitions-level elements that only declare something elements refer to.
var declarations = map[string]bool{
	"signal": true, "escalation": true, "itemDefinition": true, "dataStore": true, "category": true,
	"resource": true, "interface": true, "import": true, "documentation": true, "extensionElements": true,
}

// isDiagram reports whether n is the diagram interchange (shapes and edges): drawing, not semantics.
func isDiagram(n *node) bool {
	return strings.HasPrefix(n.name.Space, "http://www.omg.org/spec/BPMN/20100524/DI") ||
		strings.HasPrefix(n.name.Space, "http://www.omg.org/spec/DD/")
}

func qualified(space, local string) string {
	switch space {
	case "":
		return local
	case nsBPMN:
		return "bpmn:" + local
	case nsZeebe:
		return "zeebe:" + local
	case nsCamunda7:
		return "camunda:" + local
	}
	return local + " (namespace " + space + ")"
}

// parser reads one file; the declarations it indexes are shared by all its processes.
type parser struct {
	opts Options
	problems
	messages  map[string]*node
	errorDefs map[string]*node
	ids       map[string]int // id -> line of its first declaration
}

// declare records n's id and refuses a second element with the same one: references by id would be
// ambiguous.
func (p *parser) declare(n *node) {
	id := n.attr("id")
	if id == "" || isDiagram(n) {
		return
	}
	if line, dup := p.ids[id]; dup {
		p.at(n, "the id is already used by the element on line %d", line)
		return
	}
	p.ids[id] = n.line
}

// collaboration keeps the pools and message flows of a collaboration diagram for display.
func (p *parser) collaboration(defs *Definitions, n *node) {
	for _, c := range n.children {
		p.declare(c)
		switch {
		case c.is(nsBPMN, "participant"):
			defs.Participants = append(defs.Participants, Participant{ID: c.attr("id"), Name: c.attr("name"), ProcessRef: c.attr("processRef")})
		case c.is(nsBPMN, "messageFlow"):
			defs.MessageFlows = append(defs.MessageFlows, MessageFlow{ID: c.attr("id"), Name: c.attr("name"),
				Source: c.attr("sourceRef"), Target: c.attr("targetRef")})
		case c.name.Space == nsBPMN && artifactKinds[c.name.Local]:
			defs.Artifacts = append(defs.Artifacts, Artifact{ID: c.attr("id"), Kind: c.name.Local, Text: artifactText(c), Line: c.line})
		case c.name.Space == nsBPMN && (c.name.Local == "documentation" || c.name.Local == "extensionElements"):
		default:
			p.at(c, "%s in a collaboration is not run by this engine", qualified(c.name.Space, c.name.Local))
		}
	}
}

// checkMessages refuses messages without a name: nothing could be correlated to them.
func (p *parser) checkMessages() {
	for id, m := range p.messages {
		if strings.TrimSpace(m.attr("name")) == "" {
			p.add(id, m.line, "the message has no name: messages are published and correlated by name")
		}
		for _, c := range m.children {
			if c.is(nsBPMN, "extensionElements") {
				for _, e := range c.children {
					if !e.is(nsZeebe, "subscription") {
						p.at(e, "%s on a message is not run by this engine", qualified(e.name.Space, e.name.Local))
					}
				}
			}
		}
	}
}

// messageOf resolves a messageRef to the message's name and correlation key.
func (p *parser) messageOf(n *node, ref string) *Message {
	m, ok := p.messages[ref]
	if !ok {
		p.at(n, "messageRef %q names no bpmn:message of this file", ref)
		return nil
	}
	msg := &Message{Name: strings.TrimSpace(m.attr("name"))}
	for _, c := range m.children {
		if c.is(nsBPMN, "extensionElements") {
			for _, e := range c.children {
				if e.is(nsZeebe, "subscription") {
					msg.CorrelationKey = e.attr("correlationKey")
				}
			}
		}
	}
	p.expression(m.attr("id"), m.line, "the message name", msg.Name)
	p.expression(m.attr("id"), m.line, "the correlation key", msg.CorrelationKey)
	return msg
}

// errorCodeOf resolves an errorRef to its error code.
func (p *parser) errorCodeOf(n *node, ref string) (string, bool) {
	e, ok := p.errorDefs[ref]
	if !ok {
		p.at(n, "errorRef %q names no bpmn:error of this file", ref)
		return "", false
	}
	return strings.TrimSpace(e.attr("errorCode")), true
}

// expression checks src when it is an `=` expression.
func (p *parser) expression(id string, line int, what, src string) {
	if !strings.HasPrefix(src, "=") || p.opts.CheckExpression == nil {
		return
	}
	if err := p.opts.CheckExpression(src); err != nil {
		p.add(id, line, "%s %q is not a valid expression: %v", what, src, err)
	}
}

// requiredExpression checks src, which must be an `=` expression.
func (p *parser) requiredExpression(id string, line int, what, src string) {
	if !strings.HasPrefix(strings.TrimSpace(src), "=") {
		p.add(id, line, "%s must be an expression starting with = (got %q)", what, src)
		return
	}
	p.expression(id, line, what, strings.TrimSpace(src))
}
