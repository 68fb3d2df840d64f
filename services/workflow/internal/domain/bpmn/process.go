package bpmn

import "strings"

// flowNodeKinds are the flow nodes the engine runs.
var flowNodeKinds = map[string]Kind{
	"startEvent": StartEvent, "endEvent": EndEvent, "intermediateCatchEvent": IntermediateCatchEvent,
	"intermediateThrowEvent": IntermediateThrowEvent, "boundaryEvent": BoundaryEvent, "task": Task,
	"serviceTask": ServiceTask, "userTask": UserTask, "sendTask": SendTask, "receiveTask": ReceiveTask,
	"scriptTask": ScriptTask, "manualTask": ManualTask, "exclusiveGateway": ExclusiveGateway,
	"parallelGateway": ParallelGateway, "eventBasedGateway": EventBasedGateway, "subProcess": SubProcess,
	"callActivity": CallActivity,
}

// unsupported are BPMN elements the engine does not run, with what to use instead.
var unsupported = map[string]string{
	"inclusiveGateway":   "use exclusive and parallel gateways",
	"complexGateway":     "use exclusive and parallel gateways",
	"businessRuleTask":   "use a service task whose worker decides, or a script task",
	"transaction":        "transactions and compensation are not run",
	"adHocSubProcess":    "use a sub-process",
	"callChoreography":   "choreographies are not run",
	"subChoreography":    "choreographies are not run",
	"choreographyTask":   "choreographies are not run",
	"implicitThrowEvent": "use an intermediate throw event",
}

// artifactKinds are kept for display and not run.
var artifactKinds = map[string]bool{
	"textAnnotation": true, "association": true, "group": true, "dataObject": true,
	"dataObjectReference": true, "dataStoreReference": true,
}

// ignoredData are BPMN data elements inside a process or activity that describe data, not behaviour; the
// engine passes data through variables and zeebe:ioMapping.
var ignoredData = map[string]bool{
	"incoming": true, "outgoing": true, "documentation": true, "property": true, "ioSpecification": true,
	"dataInputAssociation": true, "dataOutputAssociation": true, "auditing": true, "monitoring": true,
}

// process reads an executable process.
func (p *parser) process(n *node) *Process {
	proc := &Process{ID: n.attr("id"), Name: n.attr("name"), Line: n.line, Elements: map[string]*Element{},
		Flows: map[string]*Flow{}, Scopes: map[string]*Scope{}, Forms: map[string]string{}}
	if proc.ID == "" {
		p.at(n, "the process has no id")
	}
	p.checkForeignAttrs(n)
	p.scope(proc, n, proc.ID)
	p.link(proc)
	p.validate(proc)
	return proc
}

// scope reads the children of a process or sub-process n into proc, as the scope id.
func (p *parser) scope(proc *Process, n *node, id string) {
	sc := &Scope{ID: id}
	proc.Scopes[id] = sc
	isProcess := id == proc.ID
	for _, c := range n.children {
		p.declare(c)
		if c.name.Space != nsBPMN {
			p.at(c, "%s is not part of BPMN 2.0 and is not run", qualified(c.name.Space, c.name.Local))
			continue
		}
		local := c.name.Local
		if !isProcess && !isFlowContent(local) {
			continue // the sub-process's own markers and extensions, read with the element
		}
		switch kind, isNode := flowNodeKinds[local]; {
		case isNode:
			if el := p.element(proc, c, kind, id); el != nil {
				sc.Elements = append(sc.Elements, el.ID)
			}
		case local == "sequenceFlow":
			p.flow(proc, c)
		case local == "laneSet" && isProcess:
			p.lanes(proc, c)
		case artifactKinds[local]:
			proc.Artifacts = append(proc.Artifacts, Artifact{ID: c.attr("id"), Kind: local, Text: artifactText(c), Line: c.line})
		case local == "extensionElements" && isProcess:
			p.processExtensions(proc, c)
		case ignoredData[local]:
		case unsupported[local] != "":
			p.at(c, "bpmn:%s is not run by this engine: %s", local, unsupported[local])
		default:
			p.at(c, "bpmn:%s is not run by this engine", local)
		}
	}
}

func artifactText(n *node) string {
	for _, c := range n.children {
		if c.is(nsBPMN, "text") {
			return c.content()
		}
	}
	return n.attr("name")
}

// lanes keeps the lanes (and nested lanes) of a pool for display, and notes each element's lane.
func (p *parser) lanes(proc *Process, n *node) {
	for _, lane := range n.children {
		p.declare(lane)
		if !lane.is(nsBPMN, "lane") {
			continue
		}
		l := Lane{ID: lane.attr("id"), Name: lane.attr("name")}
		for _, c := range lane.children {
			switch {
			case c.is(nsBPMN, "flowNodeRef"):
				l.Elements = append(l.Elements, c.content())
			case c.is(nsBPMN, "childLaneSet"):
				p.lanes(proc, c)
			}
		}
		proc.Lanes = append(proc.Lanes, l)
	}
}

// processExtensions reads a process's zeebe extensions: embedded forms and its version tag.
func (p *parser) processExtensions(proc *Process, n *node) {
	for _, c := range n.children {
		switch {
		case c.is(nsZeebe, "userTaskForm"):
			proc.Forms[c.attr("id")] = c.content()
		case c.is(nsZeebe, "versionTag"):
			proc.VersionTag = c.attr("value")
		case c.is(nsZeebe, "properties"):
		case c.is(nsZeebe, "executionListeners"):
			p.add(proc.ID, c.line, "execution listeners are not run by this engine")
		default:
			p.add(proc.ID, c.line, "%s on a process is not run by this engine", qualified(c.name.Space, c.name.Local))
		}
	}
}

// flow reads a sequence flow.
func (p *parser) flow(proc *Process, n *node) {
	f := &Flow{ID: n.attr("id"), Name: n.attr("name"), Source: n.attr("sourceRef"), Target: n.attr("targetRef"), Line: n.line}
	p.checkForeignAttrs(n)
	for _, c := range n.children {
		switch {
		case c.is(nsBPMN, "conditionExpression"):
			if lang := c.attr("language"); lang != "" && !strings.EqualFold(lang, "feel") {
				p.at(n, "the condition's language %q is not run; write an = expression", lang)
			}
			f.Condition = c.content()
			p.requiredExpression(f.ID, n.line, "the condition", f.Condition)
		case c.is(nsBPMN, "extensionElements"):
			if len(c.children) > 0 {
				p.at(n, "extensions on a sequence flow are not run by this engine")
			}
		case c.name.Space == nsBPMN && ignoredData[c.name.Local]:
		default:
			p.at(n, "%s in a sequence flow is not run by this engine", qualified(c.name.Space, c.name.Local))
		}
	}
	if f.ID == "" {
		p.at(n, "the sequence flow has no id")
		return
	}
	proc.Flows[f.ID] = f
}

// checkForeignAttrs refuses Camunda 7 attributes (camunda:class, camunda:asyncBefore, …): this engine runs
// the Camunda 8 dialect, and ignoring them would silently drop behaviour the modeller asked for.
func (p *parser) checkForeignAttrs(n *node) {
	for _, a := range n.attrs {
		if a.Name.Space == nsCamunda7 {
			p.at(n, "camunda:%s is a Camunda 7 extension and is not run: model the process in Camunda 8 mode (zeebe:* extensions)", a.Name.Local)
		}
	}
}
