package bpmn

import "strings"

// extensionKinds says on which elements each zeebe extension means something; elsewhere it is refused,
// because the modeller expected it to do something.
var extensionKinds = map[string]func(*Element) bool{
	"taskDefinition": isJobElement, "taskHeaders": isJobElement,
	"ioMapping":            func(*Element) bool { return true },
	"assignmentDefinition": isUserTask, "formDefinition": isUserTask, "taskSchedule": isUserTask, "userTask": isUserTask,
	"calledElement": func(el *Element) bool { return el.Kind == CallActivity },
	"script":        func(el *Element) bool { return el.Kind == ScriptTask },
	"properties":    func(*Element) bool { return true },
}

// isJobElement reports whether a job (a worker's or a connector's) can run el: service and send tasks,
// script tasks run by a worker, and message throw events.
func isJobElement(el *Element) bool {
	switch el.Kind {
	case ServiceTask, SendTask, ScriptTask, IntermediateThrowEvent:
		return true
	}
	return false
}

func isUserTask(el *Element) bool { return el.Kind == UserTask }

// extensions reads an element's zeebe extension elements.
func (p *parser) extensions(el *Element, n *node) {
	for _, c := range n.children {
		if c.name.Space == nsCamunda7 {
			p.add(el.ID, c.line, "camunda:%s is a Camunda 7 extension and is not run: model the process in Camunda 8 mode", c.name.Local)
			continue
		}
		if c.name.Space != nsZeebe {
			p.add(el.ID, c.line, "%s is not run by this engine", qualified(c.name.Space, c.name.Local))
			continue
		}
		applies, known := extensionKinds[c.name.Local]
		switch {
		case c.name.Local == "executionListeners" || c.name.Local == "taskListeners":
			p.add(el.ID, c.line, "zeebe:%s are not run by this engine", c.name.Local)
			continue
		case !known:
			p.add(el.ID, c.line, "zeebe:%s is not run by this engine", c.name.Local)
			continue
		case !applies(el):
			p.add(el.ID, c.line, "zeebe:%s has no meaning on a %s", c.name.Local, el.Kind)
			continue
		}
		p.extension(el, c)
	}
}

// extension reads one zeebe extension element that applies to el.
func (p *parser) extension(el *Element, c *node) {
	switch c.name.Local {
	case "taskDefinition":
		el.Job = orJob(el.Job)
		el.Job.Type, el.Job.Retries = strings.TrimSpace(c.attr("type")), strings.TrimSpace(c.attr("retries"))
		p.expression(el.ID, c.line, "the job type", el.Job.Type)
		p.expression(el.ID, c.line, "the retries", el.Job.Retries)
	case "taskHeaders":
		el.Job = orJob(el.Job)
		for _, h := range c.children {
			if h.is(nsZeebe, "header") {
				el.Job.Headers[h.attr("key")] = h.attr("value")
			}
		}
	case "ioMapping":
		p.ioMapping(el, c)
	case "assignmentDefinition":
		a := orAssignment(el)
		a.Assignee, a.CandidateGroups, a.CandidateUsers = c.attr("assignee"), c.attr("candidateGroups"), c.attr("candidateUsers")
		for _, v := range []string{a.Assignee, a.CandidateGroups, a.CandidateUsers} {
			p.expression(el.ID, c.line, "the assignment", v)
		}
	case "formDefinition":
		a := orAssignment(el)
		a.FormKey, a.FormID = c.attr("formKey"), c.attr("formId")
		if c.attr("externalReference") != "" {
			p.add(el.ID, c.line, "external forms are not run: embed the form or deploy it and set formId")
		}
	case "taskSchedule":
		a := orAssignment(el)
		a.DueDate, a.FollowUpDate = c.attr("dueDate"), c.attr("followUpDate")
		p.expression(el.ID, c.line, "the due date", a.DueDate)
		p.expression(el.ID, c.line, "the follow-up date", a.FollowUpDate)
	case "calledElement":
		el.Call = &Call{ProcessID: strings.TrimSpace(c.attr("processId")),
			PropagateAllChildVariables:  c.attr("propagateAllChildVariables") != "false",
			PropagateAllParentVariables: c.attr("propagateAllParentVariables") != "false"}
		p.expression(el.ID, c.line, "the called process", el.Call.ProcessID)
	case "script":
		el.Script = &Script{Expression: c.attr("expression"), ResultVariable: c.attr("resultVariable")}
	}
}

func orJob(j *Job) *Job {
	if j == nil {
		return &Job{Headers: map[string]string{}}
	}
	return j
}

func orAssignment(el *Element) *Assignment {
	if el.Assignment == nil {
		el.Assignment = &Assignment{}
	}
	return el.Assignment
}

// ioMapping reads zeebe:input and zeebe:output mappings.
func (p *parser) ioMapping(el *Element, n *node) {
	for _, c := range n.children {
		m := Mapping{Source: strings.TrimSpace(c.attr("source")), Target: strings.TrimSpace(c.attr("target"))}
		switch {
		case c.is(nsZeebe, "input"):
			el.Inputs = append(el.Inputs, m)
		case c.is(nsZeebe, "output"):
			el.Outputs = append(el.Outputs, m)
		default:
			p.add(el.ID, c.line, "%s in zeebe:ioMapping is not run by this engine", qualified(c.name.Space, c.name.Local))
			continue
		}
		if !validTarget(m.Target) {
			p.add(el.ID, c.line, "the mapping target %q is not a variable name (letters, digits and _, dotted for a field)", m.Target)
		}
		p.expression(el.ID, c.line, "the mapping source", m.Source)
	}
}

// validTarget reports whether t is a variable name or a dotted path of them.
func validTarget(t string) bool {
	if t == "" {
		return false
	}
	for _, part := range strings.Split(t, ".") {
		if !isIdentifier(part) {
			return false
		}
	}
	return true
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}
