package bpmn

import (
	"errors"
	"os"
	"testing"
)

// FuzzParse feeds the parser what an upload may hold. Whatever the input, Parse returns either a model whose
// references all resolve or an *Error with at least one problem — never a panic, never a half-linked model.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/tender-review.bpmn"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(doc(chain(`<bpmn:task id="X"/>`))))
	f.Add([]byte(doc(chain(`<bpmn:subProcess id="X"><bpmn:startEvent id="SS"/></bpmn:subProcess>`))))
	f.Add([]byte(doc(chain(`<bpmn:userTask id="X"/>`) + `<bpmn:boundaryEvent id="B" attachedToRef="X"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:boundaryEvent>`)))
	f.Add([]byte(`<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">`))
	f.Fuzz(func(t *testing.T, data []byte) {
		defs, err := Parse(data, Options{})
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || len(perr.Problems) == 0 {
				t.Fatalf("error without problems: %v", err)
			}
			return
		}
		if len(defs.Processes) == 0 {
			t.Fatal("a model without an executable process")
		}
		for _, p := range defs.Processes {
			checkLinked(t, p)
		}
	})
}

// checkLinked fails when a model refers to something it does not hold.
func checkLinked(t *testing.T, p *Process) {
	for id, el := range p.Elements {
		if _, ok := p.Scopes[el.Scope]; !ok {
			t.Fatalf("%s is in unknown scope %q", id, el.Scope)
		}
		for _, f := range append(append([]string{}, el.Incoming...), el.Outgoing...) {
			if p.Flows[f] == nil {
				t.Fatalf("%s refers to unknown flow %q", id, f)
			}
		}
		for _, b := range el.Boundaries {
			if p.Elements[b] == nil {
				t.Fatalf("%s carries unknown boundary %q", id, b)
			}
		}
	}
	for _, sc := range p.Scopes {
		if sc.NoneStart != "" && p.Elements[sc.NoneStart] == nil {
			t.Fatalf("scope %s starts at unknown %q", sc.ID, sc.NoneStart)
		}
	}
}
