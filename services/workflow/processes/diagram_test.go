package processes

import (
	"strconv"
	"testing"
)

type rect struct{ x, y, w, h float64 }

func (r rect) contains(o rect) bool {
	return o.x >= r.x && o.y >= r.y && o.x+o.w <= r.x+r.w && o.y+o.h <= r.y+r.h
}

func (r rect) overlaps(o rect) bool {
	return r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h
}

// onBorder reports whether (px, py) lies on the rectangle's outline, within tol.
func (r rect) onBorder(px, py, tol float64) bool {
	inX := px >= r.x-tol && px <= r.x+r.w+tol
	inY := py >= r.y-tol && py <= r.y+r.h+tol
	nearV := abs(px-r.x) <= tol || abs(px-r.x-r.w) <= tol
	nearH := abs(py-r.y) <= tol || abs(py-r.y-r.h) <= tol
	return (inY && nearV) || (inX && nearH)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func num(t *testing.T, n *node, attr string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr(attr), 64)
	if err != nil {
		t.Fatalf("%s: %s=%q", where(n), attr, n.attr(attr))
	}
	return f
}

// layout reads the diagram: the bounds of each shape and the waypoints of each edge, by element id.
func layout(t *testing.T, f file) (shapes map[string]rect, edges map[string][][2]float64) {
	shapes, edges = map[string]rect{}, map[string][][2]float64{}
	for _, s := range f.all(nsDI, "BPMNShape") {
		for _, c := range s.children {
			if c.is(nsDC, "Bounds") {
				id := s.attr("bpmnElement")
				if _, dup := shapes[id]; dup {
					t.Errorf("%s is drawn twice", id)
				}
				shapes[id] = rect{num(t, c, "x"), num(t, c, "y"), num(t, c, "width"), num(t, c, "height")}
			}
		}
	}
	for _, e := range f.all(nsDI, "BPMNEdge") {
		var pts [][2]float64
		for _, c := range e.children {
			if c.is(nsOMGDI, "waypoint") {
				pts = append(pts, [2]float64{num(t, c, "x"), num(t, c, "y")})
			}
		}
		edges[e.attr("bpmnElement")] = pts
	}
	return shapes, edges
}

// TestDiagramDrawsEveryElementReadably checks what makes the modeler show a file as it was drawn: every
// element has its shape or edge, edges start and end on their elements' outlines, flow nodes do not
// overlap, and each sits inside its pool, lane or sub-process.
func TestDiagramDrawsEveryElementReadably(t *testing.T) {
	each(t, func(t *testing.T, f file) {
		shapes, edges := layout(t, f)
		f.root.walk(func(n *node) {
			id := n.attr("id")
			switch {
			case n.name.Space != nsBPMN:
			case flowNodes[n.name.Local] || n.name.Local == "participant" || n.name.Local == "lane" || n.name.Local == "textAnnotation":
				if _, ok := shapes[id]; !ok {
					t.Errorf("%s %s has no shape", n.name.Local, id)
				}
			case n.name.Local == "sequenceFlow" || n.name.Local == "association":
				pts, ok := edges[id]
				if !ok || len(pts) < 2 {
					t.Errorf("%s %s has no edge", n.name.Local, id)
					return
				}
				src, dst := shapes[n.attr("sourceRef")], shapes[n.attr("targetRef")]
				first, last := pts[0], pts[len(pts)-1]
				if n.name.Local == "sequenceFlow" && (!src.onBorder(first[0], first[1], 2) || !dst.onBorder(last[0], last[1], 2)) {
					t.Errorf("edge %s does not run from the outline of %s to that of %s: %v", id, n.attr("sourceRef"), n.attr("targetRef"), pts)
				}
				for i := 1; i < len(pts); i++ {
					if pts[i][0] != pts[i-1][0] && pts[i][1] != pts[i-1][1] && n.name.Local == "sequenceFlow" {
						t.Errorf("edge %s has a diagonal segment %v-%v (the modeler draws right angles)", id, pts[i-1], pts[i])
					}
				}
			}
		})
		checkPlacement(t, f, shapes)
	})
}

// checkPlacement: flow nodes do not overlap (a boundary event sits on its host's outline, a sub-process
// holds its own nodes), and each lies in its container.
func checkPlacement(t *testing.T, f file, shapes map[string]rect) {
	var nodes []*node
	f.root.walk(func(n *node) {
		if n.name.Space == nsBPMN && flowNodes[n.name.Local] {
			nodes = append(nodes, n)
		}
	})
	inside := func(n, sub *node) bool {
		for p := n.parent; p != nil; p = p.parent {
			if p == sub {
				return true
			}
		}
		return false
	}
	for i, a := range nodes {
		ra := shapes[a.attr("id")]
		if a.parent.is(nsBPMN, "subProcess") && !shapes[a.parent.attr("id")].contains(ra) {
			t.Errorf("%s is drawn outside its sub-process", a.attr("id"))
		}
		if host := a.attr("attachedToRef"); host != "" {
			r := shapes[host]
			if !r.onBorder(ra.x+ra.w/2, ra.y+ra.h/2, 1) {
				t.Errorf("boundary event %s is not centred on the outline of %s", a.attr("id"), host)
			}
		}
		for _, b := range nodes[i+1:] {
			rb := shapes[b.attr("id")]
			related := a.attr("attachedToRef") == b.attr("id") || b.attr("attachedToRef") == a.attr("id") ||
				inside(a, b) || inside(b, a)
			if !related && ra.overlaps(rb) {
				t.Errorf("%s and %s overlap", a.attr("id"), b.attr("id"))
			}
		}
	}
	for _, p := range f.all(nsBPMN, "participant") {
		pool := shapes[p.attr("id")]
		for _, lane := range f.all(nsBPMN, "lane") {
			lr := shapes[lane.attr("id")]
			if !pool.contains(lr) {
				t.Errorf("lane %s is outside its pool", lane.attr("id"))
			}
			for _, ref := range childTexts(lane, "flowNodeRef") {
				if !lr.contains(shapes[ref]) {
					t.Errorf("%s is drawn outside its lane %s", ref, lane.attr("name"))
				}
			}
		}
		for _, n := range nodes {
			if !pool.contains(shapes[n.attr("id")]) {
				t.Errorf("%s is drawn outside the pool", n.attr("id"))
			}
		}
	}
}
