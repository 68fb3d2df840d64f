package processes

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/expr"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/timer"
)

var shipped = []string{"probation-case.bpmn", "procurement-evaluation.bpmn"}

// flowNodes are the BPMN elements that take part in the flow.
var flowNodes = map[string]bool{
	"startEvent": true, "endEvent": true, "intermediateCatchEvent": true, "intermediateThrowEvent": true,
	"boundaryEvent": true, "task": true, "userTask": true, "serviceTask": true, "sendTask": true,
	"receiveTask": true, "scriptTask": true, "manualTask": true, "exclusiveGateway": true,
	"parallelGateway": true, "eventBasedGateway": true, "subProcess": true, "callActivity": true,
}

// file is a parsed shipped file with its elements by id.
type file struct {
	name string
	root *node
	byID map[string]*node
}

func load(t *testing.T, name string) file {
	t.Helper()
	data, err := fs.ReadFile(Files, name)
	if err != nil {
		t.Fatal(err)
	}
	f := file{name: name, root: parseTree(t, data), byID: map[string]*node{}}
	f.root.walk(func(n *node) {
		if id := n.attr("id"); id != "" {
			if _, dup := f.byID[id]; dup {
				t.Errorf("%s: id %s is used twice", name, id)
			}
			f.byID[id] = n
		}
	})
	return f
}

// each runs f on every shipped file.
func each(t *testing.T, f func(t *testing.T, pf file)) {
	for _, name := range shipped {
		t.Run(name, func(t *testing.T) { f(t, load(t, name)) })
	}
}

func (f file) all(space, local string) []*node {
	var out []*node
	f.root.walk(func(n *node) {
		if n.is(space, local) {
			out = append(out, n)
		}
	})
	return out
}

func TestShippedFilesAreTheTwoProcesses(t *testing.T) {
	names, err := fs.Glob(Files, "*.bpmn")
	if err != nil || !slices.Equal(names, shipped) {
		t.Fatalf("embedded files %v, %v; want %v", names, err, shipped)
	}
}

func TestFilesAreCamunda8Definitions(t *testing.T) {
	each(t, func(t *testing.T, f file) {
		if !f.root.is(nsBPMN, "definitions") {
			t.Fatalf("root is %v", f.root.name)
		}
		declared := map[string]string{}
		for _, a := range f.root.attrs {
			if a.Name.Space == "xmlns" {
				declared[a.Name.Local] = a.Value
			}
		}
		for prefix, ns := range map[string]string{"bpmn": nsBPMN, "bpmndi": nsDI, "dc": nsDC, "di": nsOMGDI, "zeebe": nsZeebe, "modeler": nsModeler} {
			if declared[prefix] != ns {
				t.Errorf("xmlns:%s = %q, want %q", prefix, declared[prefix], ns)
			}
		}
		if got := f.root.attr("executionPlatform"); got != "Camunda Cloud" {
			t.Errorf("modeler:executionPlatform = %q", got)
		}
		var executable int
		for _, p := range f.all(nsBPMN, "process") {
			if p.attr("isExecutable") == "true" {
				executable++
			}
		}
		if executable != 1 {
			t.Errorf("%d executable processes, want 1", executable)
		}
	})
}

func TestSequenceFlowsConnectTheirNodes(t *testing.T) {
	each(t, func(t *testing.T, f file) {
		in, out := map[string][]string{}, map[string][]string{}
		for _, sf := range f.all(nsBPMN, "sequenceFlow") {
			id, src, dst := sf.attr("id"), f.byID[sf.attr("sourceRef")], f.byID[sf.attr("targetRef")]
			switch {
			case src == nil || dst == nil || !flowNodes[src.name.Local] || !flowNodes[dst.name.Local]:
				t.Errorf("%s: source %q or target %q is not a flow node", id, sf.attr("sourceRef"), sf.attr("targetRef"))
				continue
			case src.parent != sf.parent || dst.parent != sf.parent:
				t.Errorf("%s crosses a sub-process boundary", id)
			}
			out[sf.attr("sourceRef")] = append(out[sf.attr("sourceRef")], id)
			in[sf.attr("targetRef")] = append(in[sf.attr("targetRef")], id)
		}
		f.root.walk(func(n *node) {
			if n.name.Space != nsBPMN || !flowNodes[n.name.Local] {
				return
			}
			id := n.attr("id")
			declaredIn, declaredOut := childTexts(n, "incoming"), childTexts(n, "outgoing")
			slices.Sort(declaredIn)
			slices.Sort(declaredOut)
			slices.Sort(in[id])
			slices.Sort(out[id])
			if !slices.Equal(declaredIn, in[id]) || !slices.Equal(declaredOut, out[id]) {
				t.Errorf("%s declares incoming %v outgoing %v; the flows give %v and %v", id, declaredIn, declaredOut, in[id], out[id])
			}
			if n.name.Local != "startEvent" && n.name.Local != "boundaryEvent" && len(in[id]) == 0 {
				t.Errorf("%s (%s) is never reached", id, n.name.Local)
			}
			if n.name.Local != "endEvent" && len(out[id]) == 0 {
				t.Errorf("%s (%s) leads nowhere", id, n.name.Local)
			}
			if def := n.attr("default"); def != "" && !slices.Contains(out[id], def) {
				t.Errorf("%s: default flow %s is not one of its outgoing flows", id, def)
			}
			if host := n.attr("attachedToRef"); host != "" && f.byID[host] == nil {
				t.Errorf("%s is attached to unknown %s", id, host)
			}
		})
		for _, ref := range f.all(nsBPMN, "messageEventDefinition") {
			if m := f.byID[ref.attr("messageRef")]; m == nil || !m.is(nsBPMN, "message") {
				t.Errorf("messageRef %q is not a message", ref.attr("messageRef"))
			}
		}
	})
}

func childTexts(n *node, local string) []string {
	var out []string
	for _, c := range n.children {
		if c.is(nsBPMN, local) {
			out = append(out, strings.TrimSpace(c.text))
		}
	}
	return out
}

// sample are variables of a running instance, for evaluating the files' expressions.
func sample() map[string]any {
	return map[string]any{
		"tenderId": "T-2026-001", "panel": []any{"alice", "bob", "carol"}, "evaluator": "alice",
		"bidders":        []any{map[string]any{"name": "Alpha OÜ", "email": "bids@alpha.example"}},
		"technicalScore": 80.0, "commercialScore": 70.0, "recommendation": "award",
		"numberOfCompletedInstances": 2.0, "numberOfInstances": 3.0, "evaluations": []any{},
		"committeeDecision": "approve", "decision": "approve", "comment": "ok", "opinion": "clear",
		"winner": "Alpha OÜ", "awardedTo": "Alpha OÜ",
		"caseId": "P-17", "clientEmail": "client@example.org", "officer": "olga", "riskLevel": "high",
		"orderEndDate": "2027-06-30", "checkIn": map[string]any{"at": "2026-12-01"},
	}
}

var testNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// TestExpressionsCompileAndEvaluate compiles every "=" value of the files with the engine's expression
// package and evaluates it with a running instance's variables; timers parse with the timer package.
func TestExpressionsCompileAndEvaluate(t *testing.T) {
	each(t, func(t *testing.T, f file) {
		count := 0
		f.root.walk(func(n *node) {
			var sources []string
			if n.name.Space == nsZeebe {
				for _, a := range n.attrs {
					if strings.HasPrefix(a.Value, "=") {
						sources = append(sources, a.Value)
					}
				}
			}
			if n.is(nsBPMN, "conditionExpression") || n.is(nsBPMN, "completionCondition") {
				sources = append(sources, strings.TrimSpace(n.text))
			}
			for _, src := range sources {
				count++
				e, err := expr.Compile(src)
				if err != nil {
					t.Errorf("%s: %v", where(n), err)
					continue
				}
				if _, err := e.EvalAt(sample(), testNow); err != nil {
					t.Errorf("%s: %v", where(n), err)
				}
			}
		})
		for _, def := range f.all(nsBPMN, "timerEventDefinition") {
			for _, c := range def.children {
				count++
				checkTimer(t, c)
			}
		}
		if count < 10 {
			t.Errorf("only %d expressions and timers were checked", count)
		}
	})
}

func checkTimer(t *testing.T, c *node) {
	t.Helper()
	kind, err := timer.ParseKind(c.name.Local)
	if err != nil {
		t.Errorf("%s: %v", where(c), err)
		return
	}
	text := strings.TrimSpace(c.text)
	e, err := expr.Compile(text)
	if err != nil {
		t.Errorf("%s: %v", where(c), err)
		return
	}
	value, err := e.EvalString(sample(), testNow)
	if err != nil {
		t.Errorf("%s: %v", where(c), err)
		return
	}
	d, err := timer.Parse(kind, value)
	if err != nil {
		t.Errorf("%s: %v", where(c), err)
		return
	}
	if _, ok := d.Next(testNow, 0, nil); !ok {
		t.Errorf("%s: %q never fires", where(c), value)
	}
}

// where names the element a node belongs to, for messages.
func where(n *node) string {
	for p := n; p != nil; p = p.parent {
		if id := p.attr("id"); id != "" {
			return p.name.Local + " " + id
		}
	}
	return n.name.Local
}
