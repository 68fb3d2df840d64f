package bpmn

import (
	"cmp"
	"slices"
)

// link connects what the file states by reference: sequence flows to their nodes (in document order, the
// order an exclusive gateway tries its conditions in), boundary events to their activities, start events
// to their scopes.
func (p *parser) link(proc *Process) {
	flows := sortedFlows(proc)
	for _, f := range flows {
		src, srcOK := proc.Elements[f.Source]
		dst, dstOK := proc.Elements[f.Target]
		switch {
		case !srcOK:
			p.add(f.ID, f.Line, "the sequence flow's source %q is not a flow node of process %s", f.Source, proc.ID)
		case !dstOK:
			p.add(f.ID, f.Line, "the sequence flow's target %q is not a flow node of process %s", f.Target, proc.ID)
		case src.Scope != dst.Scope:
			p.add(f.ID, f.Line, "the sequence flow leaves its sub-process (%s to %s): connect the sub-process itself", f.Source, f.Target)
		default:
			src.Outgoing = append(src.Outgoing, f.ID)
			dst.Incoming = append(dst.Incoming, f.ID)
		}
	}
	for _, el := range sortedElements(proc) {
		switch {
		case el.Kind == BoundaryEvent:
			p.attach(proc, el)
		case el.Kind == StartEvent:
			p.start(proc, el)
		}
	}
}

func sortedFlows(proc *Process) []*Flow {
	out := make([]*Flow, 0, len(proc.Flows))
	for _, f := range proc.Flows {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *Flow) int { return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID)) })
	return out
}

func sortedElements(proc *Process) []*Element {
	out := make([]*Element, 0, len(proc.Elements))
	for _, el := range proc.Elements {
		out = append(out, el)
	}
	slices.SortFunc(out, func(a, b *Element) int { return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID)) })
	return out
}

// attach puts a boundary event on its activity.
func (p *parser) attach(proc *Process, el *Element) {
	host, ok := proc.Elements[el.AttachedTo]
	switch {
	case el.AttachedTo == "":
		p.add(el.ID, el.Line, "the boundary event is attached to nothing (attachedToRef)")
	case !ok:
		p.add(el.ID, el.Line, "the boundary event is attached to %q, which is not a flow node of process %s", el.AttachedTo, proc.ID)
	case !host.Kind.IsActivity():
		p.add(el.ID, el.Line, "the boundary event is attached to %s, a %s: only activities carry boundary events", host.ID, host.Kind)
	case host.Scope != el.Scope:
		p.add(el.ID, el.Line, "the boundary event is not in the same scope as %s", host.ID)
	default:
		host.Boundaries = append(host.Boundaries, el.ID)
	}
}

// start registers a start event with its scope.
func (p *parser) start(proc *Process, el *Element) {
	sc := proc.Scopes[el.Scope]
	switch {
	case el.Event == EventNone && sc.NoneStart != "":
		p.add(el.ID, el.Line, "the scope %s has a second start event without a trigger (the first is %s): a start would be ambiguous", sc.ID, sc.NoneStart)
	case el.Event == EventNone:
		sc.NoneStart = el.ID
	case el.Scope != proc.ID:
		p.add(el.ID, el.Line, "a sub-process starts only with a start event without a trigger (timer and message starts are for processes)")
	default:
		sc.EventStarts = append(sc.EventStarts, el.ID)
	}
}
