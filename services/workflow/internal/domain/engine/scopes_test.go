package engine_test

import (
	"reflect"
	"testing"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// sub is a sub-process X whose start leads to inner, then to an end event whose markup is end.
func sub(inner, end string) string {
	return `<bpmn:subProcess id="X"><bpmn:startEvent id="SS"/><bpmn:sequenceFlow id="s1" sourceRef="SS" targetRef="In"/>` + inner +
		`<bpmn:sequenceFlow id="s2" sourceRef="In" targetRef="SE"/>` + end + `</bpmn:subProcess>`
}

func TestEmbeddedSubProcessRunsItsFlowThenGoesOn(t *testing.T) {
	h := newHarness(t, seq(sub(service("In", "inner", ""), `<bpmn:endEvent id="SE"/>`)))
	h.start(map[string]any{"a": 1})
	h.wantWaiting("In")
	if v := engine.VisibleVariables(h.st, h.job("In").EI); v["a"] != 1 {
		t.Fatalf("the sub-process does not see the parent's variables: %v", v)
	}
	h.completeJob("In", map[string]any{"b": 2})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("b", 2)
}

func TestErrorEndEventInASubProcessIsCaughtOnTheSubProcess(t *testing.T) {
	body := seq(sub(`<bpmn:task id="In"/>`, `<bpmn:endEvent id="SE"><bpmn:errorEventDefinition errorRef="Rejected"/></bpmn:endEvent>`)) +
		errorBoundary("BR", "Rejected")
	h := newHarness(t, body)
	h.start(nil)
	h.wantWaiting("After_BR")
}

func TestBoundaryTimerOnASubProcessTerminatesWhatRunsInside(t *testing.T) {
	body := seq(sub(service("In", "inner", ""), `<bpmn:endEvent id="SE"/>`)) +
		`<bpmn:boundaryEvent id="Late" attachedToRef="X"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>` +
		`<bpmn:sequenceFlow id="fl" sourceRef="Late" targetRef="Escalate"/>` + service("Escalate", "escalate", "")
	h := newHarness(t, body)
	h.start(nil)
	fx := h.fire("Late")
	if len(fx.CancelJobs) != 1 {
		t.Fatalf("the inner job was not cancelled: %+v", fx)
	}
	h.wantWaiting("Escalate")
}

func TestTerminateEndEventEndsEveryBranch(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="Fork"/><bpmn:parallelGateway id="Fork"/>
<bpmn:sequenceFlow id="fa" sourceRef="Fork" targetRef="A"/><bpmn:sequenceFlow id="fb" sourceRef="Fork" targetRef="B"/>`+
		service("A", "a", "")+`<bpmn:userTask id="B"/>
<bpmn:sequenceFlow id="fat" sourceRef="A" targetRef="Stop"/><bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
<bpmn:sequenceFlow id="fbe" sourceRef="B" targetRef="E"/><bpmn:endEvent id="E"/>`)
	h.start(nil)
	fx := h.completeJob("A", nil)
	if len(fx.CancelUserTasks) != 1 {
		t.Fatalf("the other branch's task was not cancelled: %+v", fx)
	}
	h.wantStatus(engine.StatusCompleted)
}

func TestTerminateInsideASubProcessEndsOnlyTheSubProcess(t *testing.T) {
	inner := `<bpmn:parallelGateway id="In"/><bpmn:sequenceFlow id="s3" sourceRef="In" targetRef="Wait"/><bpmn:userTask id="Wait"/>`
	h := newHarness(t, seq(sub(inner, `<bpmn:endEvent id="SE"><bpmn:terminateEventDefinition/></bpmn:endEvent>`)))
	h.start(nil)
	h.wantStatus(engine.StatusCompleted)
	if len(h.tasks) != 0 {
		t.Fatalf("tasks %v", h.tasks)
	}
}

func callActivity(extra string) string {
	return `<bpmn:callActivity id="X"><bpmn:extensionElements>` + extra + `</bpmn:extensionElements></bpmn:callActivity>`
}

func TestCallActivityStartsAChildAndGoesOnWhenItEnds(t *testing.T) {
	cases := []struct {
		name, extra     string
		handed, outcome map[string]any
		wantOut         string
	}{
		{"all variables both ways", `<zeebe:calledElement processId="child"/>`,
			map[string]any{"a": 1, "secret": "s"}, map[string]any{"r": 2}, "r"},
		{"explicit mapping", `<zeebe:calledElement processId="child" propagateAllChildVariables="false" propagateAllParentVariables="false"/>` +
			`<zeebe:ioMapping><zeebe:input source="=a" target="input"/><zeebe:output source="=r" target="result"/></zeebe:ioMapping>`,
			map[string]any{"input": 1}, map[string]any{"result": 2}, "result"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, seq(callActivity(c.extra)))
			h.start(map[string]any{"a": 1, "secret": "s"})
			var child engine.ChildStart
			for _, ch := range h.children {
				child = ch
			}
			if child.ProcessID != "child" || !reflect.DeepEqual(child.Vars, c.handed) {
				t.Fatalf("child %+v", child)
			}
			h.step(engine.ChildEnded{ChildID: child.ID, Status: engine.StatusCompleted, Vars: map[string]any{"r": 2, "noise": 3}})
			h.wantStatus(engine.StatusCompleted)
			for k, v := range c.outcome {
				h.wantVar(k, v)
			}
			if c.name == "explicit mapping" {
				h.wantVar("noise", nil)
			}
		})
	}
}

func TestACalledInstanceErrorIsCaughtAtTheCallActivity(t *testing.T) {
	h := newHarness(t, seq(callActivity(`<zeebe:calledElement processId="child"/>`))+errorBoundary("BR", "Rejected"))
	h.start(nil)
	for id := range h.children {
		h.step(engine.ChildEnded{ChildID: id, Status: engine.StatusFailed, ErrorCode: "REJECTED"})
	}
	h.wantWaiting("After_BR")
}

func TestACalledProcessThatCannotStartIsAnIncidentRetriedLater(t *testing.T) {
	h := newHarness(t, seq(callActivity(`<zeebe:calledElement processId="child"/>`)))
	h.start(nil)
	var first string
	for id := range h.children {
		first = id
	}
	fx := h.step(engine.ChildStartFailed{ChildID: first, Message: "no process child"})
	if len(fx.Incidents) != 1 || fx.Incidents[0].Kind != engine.IncidentCalledProcess {
		t.Fatalf("effects %+v", fx)
	}
	h.step(engine.ResolveIncident{IncidentID: fx.Incidents[0].ID})
	if len(h.children) != 1 || h.children[first].ID != "" {
		t.Fatalf("the call was not made again with a new id: %v", h.children)
	}
}

func TestCancelTerminatesEverythingAndTheChildren(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="Fork"/><bpmn:parallelGateway id="Fork"/>
<bpmn:sequenceFlow id="fa" sourceRef="Fork" targetRef="X"/><bpmn:sequenceFlow id="fb" sourceRef="Fork" targetRef="B"/>`+
		callActivity(`<zeebe:calledElement processId="child"/>`)+`<bpmn:userTask id="B"/>`+
		`<bpmn:boundaryEvent id="T" attachedToRef="B"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`+
		`<bpmn:sequenceFlow id="ft" sourceRef="T" targetRef="E"/><bpmn:sequenceFlow id="fx" sourceRef="X" targetRef="E"/><bpmn:sequenceFlow id="fbe" sourceRef="B" targetRef="E"/><bpmn:endEvent id="E"/>`)
	h.start(nil)
	fx := h.step(engine.Cancel{})
	if len(fx.CancelChildren) != 1 || len(fx.CancelUserTasks) != 1 || len(fx.CancelTimers) != 1 || fx.Ended.Status != engine.StatusTerminated {
		t.Fatalf("effects %+v", fx)
	}
	h.wantStatus(engine.StatusTerminated)
}

func TestACalledInstanceIsStoppedThroughItsParent(t *testing.T) {
	h := newHarness(t, seq(`<bpmn:userTask id="X"/>`))
	h.step(engine.Start{Parent: &engine.ParentRef{InstanceID: "parent-1", Element: "7"}})
	_, err := h.try(engine.Cancel{})
	wantReason(t, err, engine.ReasonCalledInstance)
	fx := h.step(engine.Cancel{ByParent: true})
	if fx.Ended.Parent != nil {
		t.Fatal("a parent that cancelled its child is told the child ended")
	}
	h2 := newHarness(t, seq(`<bpmn:task id="X"/>`))
	fx = h2.step(engine.Start{Parent: &engine.ParentRef{InstanceID: "parent-1", Element: "7"}})
	if fx.Ended == nil || fx.Ended.Parent == nil || fx.Ended.Parent.InstanceID != "parent-1" {
		t.Fatalf("the parent is not told its child completed: %+v", fx.Ended)
	}
}

func TestMessageStartEvent(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="MS"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent>
<bpmn:sequenceFlow id="f" sourceRef="MS" targetRef="E"/><bpmn:endEvent id="E"/>`)
	_, err := h.try(engine.Start{})
	wantReason(t, err, engine.ReasonNoStartEvent)
	h.step(engine.Start{Event: "MS", Vars: map[string]any{"x": 1}})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("x", 1)
}

func TestAStartEventsOutputsChooseTheVariablesKept(t *testing.T) {
	h := newHarness(t, `<bpmn:startEvent id="MS"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=tender" target="tenderId"/>
</zeebe:ioMapping></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent>
<bpmn:sequenceFlow id="f" sourceRef="MS" targetRef="U"/><bpmn:userTask id="U"/>`)
	h.step(engine.Start{Event: "MS", Vars: map[string]any{"tender": "T-1", "noise": 1}})
	h.wantVar("tenderId", "T-1")
	h.wantVar("noise", nil)
}
