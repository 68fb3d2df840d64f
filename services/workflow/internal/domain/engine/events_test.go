package engine_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

func timerCatch(id, kind, value string) string {
	return `<bpmn:intermediateCatchEvent id="` + id + `"><bpmn:timerEventDefinition><bpmn:` + kind + `>` + value +
		`</bpmn:` + kind + `></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`
}

func TestIntermediateTimerWaitsForItsDuration(t *testing.T) {
	h := newHarness(t, seq(timerCatch("X", "timeDuration", "=standstill")))
	h.start(map[string]any{"standstill": "PT10M"})
	if x := h.timer("X"); !x.Due.Equal(t0.Add(10 * time.Minute)) {
		t.Fatalf("due %v", x.Due)
	}
	h.fire("X")
	h.wantStatus(engine.StatusCompleted)
}

func TestATimerThatNoLongerExistsDoesNotFire(t *testing.T) {
	h := newHarness(t, seq(timerCatch("X", "timeDate", "2027-03-02T00:00:00Z")))
	h.start(nil)
	id := h.timer("X").ID
	h.fire("X")
	_, err := h.try(engine.TimerFired{TimerID: id})
	wantReason(t, err, engine.ReasonInstanceEnded)
}

func TestATimerWithABadValueIsAnIncident(t *testing.T) {
	h := newHarness(t, seq(timerCatch("X", "timeDuration", "=standstill")))
	fx := h.start(map[string]any{"standstill": "ten minutes"})
	if len(fx.Incidents) != 1 || len(h.timers) != 0 {
		t.Fatalf("incidents %v timers %v", fx.Incidents, h.timers)
	}
}

func TestMessageCatchAndReceiveTaskWaitForTheirKey(t *testing.T) {
	for name, el := range map[string]string{
		"catch event":  `<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:intermediateCatchEvent>`,
		"receive task": `<bpmn:receiveTask id="X" messageRef="Msg"/>`,
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, seq(el))
			h.start(map[string]any{"tenderId": 42})
			if s := h.sub("X"); s.Name != "bid" || s.CorrelationKey != "42" {
				t.Fatalf("subscription %+v", s)
			}
			h.correlate("X", map[string]any{"price": 10})
			h.wantStatus(engine.StatusCompleted)
			h.wantVar("price", 10)
		})
	}
}

func TestAMissingCorrelationKeyIsAnIncident(t *testing.T) {
	h := newHarness(t, seq(`<bpmn:receiveTask id="X" messageRef="Msg"/>`))
	if fx := h.start(nil); len(fx.Incidents) != 1 || len(h.subs) != 0 {
		t.Fatalf("effects %+v", fx)
	}
}

// eventGateway waits for message M or timer T; each leads to its own task.
const eventGateway = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="G"/>
<bpmn:eventBasedGateway id="G"/>
<bpmn:sequenceFlow id="fm" sourceRef="G" targetRef="M"/><bpmn:sequenceFlow id="ft" sourceRef="G" targetRef="T"/>
<bpmn:intermediateCatchEvent id="M"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=price" target="bestPrice"/></zeebe:ioMapping></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:intermediateCatchEvent>
<bpmn:intermediateCatchEvent id="T"><bpmn:timerEventDefinition><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
<bpmn:sequenceFlow id="fma" sourceRef="M" targetRef="GotBid"/><bpmn:sequenceFlow id="fta" sourceRef="T" targetRef="NoBid"/>
<bpmn:task id="GotBid"/><bpmn:userTask id="NoBid"/>
<bpmn:sequenceFlow id="fe1" sourceRef="GotBid" targetRef="E"/><bpmn:sequenceFlow id="fe2" sourceRef="NoBid" targetRef="E"/><bpmn:endEvent id="E"/>`

func TestEventBasedGatewayTakesTheFirstEvent(t *testing.T) {
	t.Run("message first", func(t *testing.T) {
		h := newHarness(t, eventGateway)
		h.start(map[string]any{"tenderId": "T-1"})
		h.wantWaiting("G")
		fx := h.correlate("M", map[string]any{"price": 9})
		if len(fx.CancelTimers) != 1 {
			t.Fatalf("the timer was not cancelled: %+v", fx)
		}
		h.wantStatus(engine.StatusCompleted)
		h.wantVar("bestPrice", 9)
	})
	t.Run("timer first", func(t *testing.T) {
		h := newHarness(t, eventGateway)
		h.start(map[string]any{"tenderId": "T-1"})
		fx := h.fire("T")
		if len(fx.CloseSubscriptions) != 1 || len(h.subs) != 0 {
			t.Fatalf("the subscription was not closed: %+v", fx)
		}
		h.wantWaiting("NoBid")
	})
}

// boundary is a user task U with the given boundary events, each leading to task "After_<id>".
func boundary(events ...string) string {
	body := `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f0" sourceRef="S" targetRef="U"/><bpmn:userTask id="U"/>
<bpmn:sequenceFlow id="fu" sourceRef="U" targetRef="E"/><bpmn:endEvent id="E"/>`
	for _, ev := range events {
		id := attrOf(ev, "id")
		body += ev + `<bpmn:sequenceFlow id="f_` + id + `" sourceRef="` + id + `" targetRef="After_` + id + `"/>` +
			service("After_"+id, "after", "")
	}
	return body
}

func attrOf(xml, name string) string {
	i := len(name) + 2
	for j := 0; j+i < len(xml); j++ {
		if xml[j:j+i] == name+`="` {
			rest := xml[j+i:]
			for k := range rest {
				if rest[k] == '"' {
					return rest[:k]
				}
			}
		}
	}
	return ""
}

func TestInterruptingBoundaryTimerCancelsTheTask(t *testing.T) {
	h := newHarness(t, boundary(`<bpmn:boundaryEvent id="B" attachedToRef="U"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`))
	h.start(nil)
	taskID := h.task("U").ID
	fx := h.fire("B")
	if len(fx.CancelUserTasks) != 1 || fx.CancelUserTasks[0] != taskID {
		t.Fatalf("task not cancelled: %+v", fx)
	}
	h.wantWaiting("After_B")
	if _, err := h.try(engine.UserTaskCompleted{TaskID: taskID}); err == nil {
		t.Fatal("a cancelled task completed")
	} else {
		wantReason(t, err, engine.ReasonNotWaiting)
	}
}

func TestNonInterruptingCycleTimerRepeatsWhileTheTaskWaits(t *testing.T) {
	h := newHarness(t, boundary(`<bpmn:boundaryEvent id="B" attachedToRef="U" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>`))
	h.start(nil)
	first := h.timer("B")
	h.fire("B")
	second := h.timer("B")
	if !second.Due.Equal(first.Due.Add(24*time.Hour)) || second.ID == first.ID {
		t.Fatalf("first %+v second %+v", first, second)
	}
	h.wantWaiting("U", "After_B")
	h.fire("B")
	if len(h.timers) != 0 {
		t.Fatalf("a third reminder is scheduled: %v", h.timers)
	}
	h.wantWaiting("U", "After_B", "After_B")
	fx := h.completeTask("U", nil)
	if len(fx.CancelTimers) != 0 {
		t.Fatalf("cancelled %v", fx.CancelTimers)
	}
	h.wantWaiting("After_B", "After_B")
}

func TestCompletingTheTaskCancelsItsBoundaryTimer(t *testing.T) {
	h := newHarness(t, boundary(`<bpmn:boundaryEvent id="B" attachedToRef="U" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`))
	h.start(nil)
	fx := h.completeTask("U", nil)
	if len(fx.CancelTimers) != 1 {
		t.Fatalf("effects %+v", fx)
	}
	h.wantStatus(engine.StatusCompleted)
}

func TestMessageBoundaryEvents(t *testing.T) {
	t.Run("interrupting", func(t *testing.T) {
		h := newHarness(t, boundary(`<bpmn:boundaryEvent id="B" attachedToRef="U"><bpmn:messageEventDefinition messageRef="Cancelled"/></bpmn:boundaryEvent>`))
		h.start(map[string]any{"tenderId": "T-9"})
		h.correlate("B", map[string]any{"reason": "withdrawn"})
		h.wantWaiting("After_B")
		h.wantVar("reason", "withdrawn")
		if len(h.tasks) != 0 {
			t.Fatal("the task was not cancelled")
		}
	})
	t.Run("non-interrupting stays open", func(t *testing.T) {
		h := newHarness(t, boundary(`<bpmn:boundaryEvent id="B" attachedToRef="U" cancelActivity="false"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:boundaryEvent>`))
		h.start(map[string]any{"tenderId": "T-9"})
		h.correlate("B", nil)
		h.correlate("B", nil)
		h.wantWaiting("U", "After_B", "After_B")
		fx := h.completeTask("U", nil)
		if len(fx.CloseSubscriptions) != 1 {
			t.Fatalf("effects %+v", fx)
		}
	})
}

func errorBoundary(id, errorRef string) string {
	ref := ""
	if errorRef != "" {
		ref = ` errorRef="` + errorRef + `"`
	}
	return `<bpmn:boundaryEvent id="` + id + `" attachedToRef="X"><bpmn:errorEventDefinition` + ref + `/></bpmn:boundaryEvent>` +
		`<bpmn:sequenceFlow id="f_` + id + `" sourceRef="` + id + `" targetRef="After_` + id + `"/>` + service("After_"+id, "after", "")
}

func TestErrorBoundaryCatchesAThrownErrorByCode(t *testing.T) {
	cases := []struct {
		name, code, want string
		status           engine.Status
	}{
		{"by code", "REJECTED", "After_BR", engine.StatusActive},
		{"catch-all", "OTHER", "After_BAny", engine.StatusActive},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, seq(service("X", "x", ""))+errorBoundary("BR", "Rejected")+errorBoundary("BAny", ""))
			h.start(nil)
			h.step(engine.JobErrorThrown{JobID: h.job("X").ID, Code: c.code, Vars: map[string]any{"why": "late"}})
			h.wantStatus(c.status)
			h.wantWaiting(c.want)
			h.wantVar("why", "late")
		})
	}
}

func TestAnUncaughtErrorFailsTheInstance(t *testing.T) {
	h := newHarness(t, seq(service("X", "x", ""))+errorBoundary("BR", "Rejected"))
	h.start(nil)
	fx := h.step(engine.JobErrorThrown{JobID: h.job("X").ID, Code: "OTHER"})
	h.wantStatus(engine.StatusFailed)
	if fx.Ended == nil || fx.Ended.ErrorCode != "OTHER" || h.st.ErrorCode != "OTHER" {
		t.Fatalf("ended %+v", fx.Ended)
	}
}

func TestUserTaskAssignment(t *testing.T) {
	h := newHarness(t, seq(`<bpmn:userTask id="X" name="Approve"><bpmn:extensionElements>`+
		`<zeebe:assignmentDefinition assignee="=owner" candidateGroups="legal, finance" candidateUsers="=reviewers"/>`+
		`<zeebe:formDefinition formId="approval"/><zeebe:taskSchedule dueDate="=deadline"/></bpmn:extensionElements></bpmn:userTask>`))
	h.start(map[string]any{"owner": "ann@example.org", "reviewers": []any{"ben", "cy"}, "deadline": "2027-03-05T17:00:00Z"})
	x := h.task("X")
	due := time.Date(2027, 3, 5, 17, 0, 0, 0, time.UTC)
	if x.Name != "Approve" || x.Assignee != "ann@example.org" || !reflect.DeepEqual(x.CandidateGroups, []string{"legal", "finance"}) ||
		!reflect.DeepEqual(x.CandidateUsers, []string{"ben", "cy"}) || x.FormID != "approval" || x.Due == nil || !x.Due.Equal(due) {
		t.Fatalf("task %+v", x)
	}
	h.completeTask("X", map[string]any{"approved": true})
	h.wantVar("approved", true)
}
