package engine_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// panel is a multi-instance user task X over =panel, each inner instance scoring into the scores list.
func panel(sequential bool, completion string) string {
	seqAttr := ""
	if sequential {
		seqAttr = ` isSequential="true"`
	}
	cond := ""
	if completion != "" {
		cond = `<bpmn:completionCondition>` + completion + `</bpmn:completionCondition>`
	}
	return seq(`<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=evaluator"/></bpmn:extensionElements>` +
		`<bpmn:multiInstanceLoopCharacteristics` + seqAttr + `><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=panel" ` +
		`inputElement="evaluator" outputCollection="scores" outputElement="=score"/></bpmn:extensionElements>` + cond +
		`</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`)
}

func tasksOf(h *harness) []engine.UserTask {
	var out []engine.UserTask
	for _, t := range h.tasks {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b engine.UserTask) int { return len(a.EI) - len(b.EI) + compare(a.EI, b.EI) })
	return out
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func taskFor(t *testing.T, h *harness, assignee string) engine.UserTask {
	t.Helper()
	for _, x := range h.tasks {
		if x.Assignee == assignee {
			return x
		}
	}
	t.Fatalf("no task for %s in %v", assignee, h.tasks)
	return engine.UserTask{}
}

func TestParallelMultiInstanceUserTaskForAPanel(t *testing.T) {
	h := newHarness(t, panel(false, ""))
	h.start(map[string]any{"panel": []any{"ann", "ben", "cy"}})
	if len(h.tasks) != 3 {
		t.Fatalf("tasks %v", h.tasks)
	}
	// Completed out of order, the scores still line up with the panel.
	for _, who := range []string{"cy", "ann", "ben"} {
		h.step(engine.UserTaskCompleted{TaskID: taskFor(t, h, who).ID, Vars: map[string]any{"score": len(who) + map[string]int{"ann": 0, "ben": 1, "cy": 2}[who]}})
	}
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("scores", []any{3, 4, 4})
	h.wantVar("evaluator", nil) // the item was local to each inner instance
	h.wantVar("loopCounter", nil)
}

func TestSequentialMultiInstanceRunsOneAtATime(t *testing.T) {
	h := newHarness(t, panel(true, ""))
	h.start(map[string]any{"panel": []any{"ann", "ben"}})
	if ts := tasksOf(h); len(ts) != 1 || ts[0].Assignee != "ann" {
		t.Fatalf("tasks %v", ts)
	}
	h.step(engine.UserTaskCompleted{TaskID: taskFor(t, h, "ann").ID, Vars: map[string]any{"score": 5}})
	if ts := tasksOf(h); len(ts) != 1 || ts[0].Assignee != "ben" {
		t.Fatalf("tasks %v", ts)
	}
	h.step(engine.UserTaskCompleted{TaskID: taskFor(t, h, "ben").ID, Vars: map[string]any{"score": 1}})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("scores", []any{5, 1})
}

func TestCompletionConditionCancelsTheRest(t *testing.T) {
	h := newHarness(t, panel(false, "=numberOfCompletedInstances >= 2"))
	h.start(map[string]any{"panel": []any{"ann", "ben", "cy"}})
	h.step(engine.UserTaskCompleted{TaskID: taskFor(t, h, "ben").ID, Vars: map[string]any{"score": 4}})
	fx := h.step(engine.UserTaskCompleted{TaskID: taskFor(t, h, "cy").ID, Vars: map[string]any{"score": 2}})
	if len(fx.CancelUserTasks) != 1 {
		t.Fatalf("effects %+v", fx)
	}
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("scores", []any{nil, 4, 2})
}

func TestMultiInstanceOverNothingOrNotAList(t *testing.T) {
	h := newHarness(t, panel(false, ""))
	h.start(map[string]any{"panel": []any{}})
	h.wantStatus(engine.StatusCompleted)
	h.wantVar("scores", []any{})

	h = newHarness(t, panel(false, ""))
	fx := h.start(map[string]any{"panel": "ann"})
	if len(fx.Incidents) != 1 || fx.Incidents[0].Kind != engine.IncidentNotACollection {
		t.Fatalf("effects %+v", fx)
	}
	h.step(engine.SetVariables{Vars: map[string]any{"panel": []any{"ann"}}})
	h.step(engine.ResolveIncident{IncidentID: fx.Incidents[0].ID})
	if len(h.tasks) != 1 {
		t.Fatalf("tasks %v", h.tasks)
	}
}

func TestMultiInstanceServiceTaskAndBoundaryOnTheBody(t *testing.T) {
	body := seq(`<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="check"/></bpmn:extensionElements>`+
		`<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=bids" inputElement="bid"/>`+
		`</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`) +
		`<bpmn:boundaryEvent id="Late" attachedToRef="X"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>` +
		`<bpmn:sequenceFlow id="fl" sourceRef="Late" targetRef="Chase"/><bpmn:userTask id="Chase"/>`
	h := newHarness(t, body)
	h.start(map[string]any{"bids": []any{"b1", "b2"}})
	if len(h.jobs) != 2 || len(h.timers) != 1 {
		t.Fatalf("jobs %v timers %v", h.jobs, h.timers)
	}
	var bids []any
	for _, j := range h.jobs {
		bids = append(bids, engine.VisibleVariables(h.st, j.EI)["bid"])
	}
	slices.SortFunc(bids, func(a, b any) int { return compare(a.(string), b.(string)) })
	if !reflect.DeepEqual(bids, []any{"b1", "b2"}) {
		t.Fatalf("bids %v", bids)
	}
	fx := h.fire("Late")
	if len(fx.CancelJobs) != 2 {
		t.Fatalf("effects %+v", fx)
	}
	h.wantWaiting("Chase")
}

func TestMultiInstanceSubProcessAndCallActivity(t *testing.T) {
	loop := `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=lots" inputElement="lot" ` +
		`outputCollection="results" outputElement="=result"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`
	t.Run("sub-process", func(t *testing.T) {
		h := newHarness(t, seq(`<bpmn:subProcess id="X"><bpmn:startEvent id="SS"/><bpmn:sequenceFlow id="s1" sourceRef="SS" targetRef="In"/>`+
			service("In", "inner", "")+`<bpmn:sequenceFlow id="s2" sourceRef="In" targetRef="SE"/><bpmn:endEvent id="SE"/>`+loop+`</bpmn:subProcess>`))
		h.start(map[string]any{"lots": []any{1, 2}})
		for _, j := range h.jobs {
			lot := engine.VisibleVariables(h.st, j.EI)["lot"].(int)
			h.step(engine.JobCompleted{JobID: j.ID, Vars: map[string]any{"result": lot * 10}})
		}
		h.wantStatus(engine.StatusCompleted)
		h.wantVar("results", []any{10, 20})
	})
	t.Run("call activity", func(t *testing.T) {
		h := newHarness(t, seq(`<bpmn:callActivity id="X"><bpmn:extensionElements><zeebe:calledElement processId="lot" propagateAllChildVariables="false"/>`+
			`<zeebe:ioMapping><zeebe:output source="=result" target="result"/></zeebe:ioMapping></bpmn:extensionElements>`+loop+`</bpmn:callActivity>`))
		h.start(map[string]any{"lots": []any{"a", "b"}})
		if len(h.children) != 2 {
			t.Fatalf("children %v", h.children)
		}
		for _, c := range h.children {
			h.step(engine.ChildEnded{ChildID: c.ID, Status: engine.StatusCompleted, Vars: map[string]any{"result": c.Vars["lot"]}})
		}
		h.wantStatus(engine.StatusCompleted)
		h.wantVar("results", []any{"a", "b"})
	})
}
