package workflow_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/workflow"
)

// waitsForDeadlines is a user task with a non-interrupting boundary for Scheduling's deadline.reached of
// the case: each event delivered to it starts a reminder task, so a second delivery would show.
const waitsForDeadlines = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Work"/><bpmn:userTask id="Work"/>
<bpmn:boundaryEvent id="Due" attachedToRef="Work" cancelActivity="false"><bpmn:messageEventDefinition messageRef="Deadline"/></bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f2" sourceRef="Due" targetRef="Remind"/><bpmn:userTask id="Remind"/>`

func TestAnEventFromNATSCorrelatesOnceEvenWhenDeliveredTwice(t *testing.T) {
	pool := pgtest.NewPool(t, append(workflow.Migrations(), idempotency.Migrations)...)
	_, js := natstest.Start(t)
	ctx := context.Background()
	if _, err := natsbus.EnsureStream(ctx, js, "scheduling"); err != nil {
		t.Fatal(err)
	}
	e := startOn(t, pool, js, &clock{t: testNow}, newIssuer(t), options{background: true, owner: "a", streams: "scheduling"})
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
<bpmn:process id="p" isExecutable="true">` + waitsForDeadlines + `</bpmn:process>
<bpmn:message id="Deadline" name="govstack.scheduling.v1.deadline.reached"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`
	e.deploy(t, doc)
	inst := e.startProcess(t, "p", map[string]any{"caseId": "P-7"}, "")
	for i, msgID := range []string{"nats-1", "nats-2"} { // two deliveries of one event (same ce-id)
		m := nats.NewMsg("govstack.scheduling.v1.deadline.reached")
		m.Header.Set("ce-id", "event-1")
		m.Header.Set("ce-type", "govstack.scheduling.v1.deadline.reached")
		m.Header.Set("ce-source", "govstack/scheduling")
		m.Header.Set("ce-subject", "P-7")
		m.Header.Set(nats.MsgIdHdr, msgID)
		m.Data = []byte(`{"deadlineId":"d1","reference":"P-7"}`)
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err, i)
		}
	}
	testkit.Eventually(t, 20*time.Second, "the deadline reaches the case", func() error {
		return wantWaitingAll(e.instance(t, inst.GetId()), "Work", "Remind")
	})
	// The second delivery must not have made a second reminder (the inbox, and the message id, stop it).
	testkit.Eventually(t, 5*time.Second, "settled", func() error {
		if c := countHistory(t, e, "message.correlated")[inst.GetId()]; c != 1 {
			return errorf("correlated %d times", c)
		}
		return nil
	})
}
