package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow"
)

// lastEvent waits for the last message on subject in the BB's stream and returns its JSON payload.
func lastEvent(t *testing.T, e *env, subject string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	var got map[string]any
	testkit.Eventually(t, 15*time.Second, "event "+subject, func() error {
		st, err := e.js.Stream(context.Background(), natsbus.StreamName(workflow.Name))
		if err != nil {
			return err
		}
		msg, err := st.GetLastMsgForSubject(context.Background(), subject)
		if err != nil {
			return err
		}
		got = map[string]any{}
		if err := json.Unmarshal(msg.Data, &got); err != nil {
			return err
		}
		if match != nil && !match(got) {
			return fmt.Errorf("last %s is %v", subject, got)
		}
		return nil
	})
	return got
}

func TestInstanceTaskAndIncidentEventsGoOutThroughTheOutbox(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(`<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="U"/>
<bpmn:userTask id="U" name="Approve"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff"/></bpmn:extensionElements></bpmn:userTask>
<bpmn:sequenceFlow id="f2" sourceRef="U" targetRef="X"/>`+`<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="x" retries="1"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f3" sourceRef="X" targetRef="E"/><bpmn:endEvent id="E"/>`))
	inst := e.startProcess(t, "p", map[string]any{"a": 1}, "").GetId()
	is := func(id string) func(map[string]any) bool {
		return func(m map[string]any) bool { return m["instanceId"] == id }
	}
	lastEvent(t, e, workflowv1.EventInstanceStarted, is(inst))
	created := lastEvent(t, e, workflowv1.EventTaskCreated, is(inst))
	if created["name"] != "Approve" {
		t.Fatalf("task.created %v", created)
	}
	if err := e.doTask(t, "sam@example.org", []string{"staff"}, "U", nil); err != nil {
		t.Fatal(err)
	}
	if done := lastEvent(t, e, workflowv1.EventTaskCompleted, is(inst)); done["by"] != "sam@example.org" {
		t.Fatalf("task.completed %v", done)
	}
	j := e.activate(t, "x", "w", 1)[0]
	if _, err := e.jobs.FailJob(context.Background(), &workflowv1.FailJobRequest{JobKey: j.GetKey(), Worker: "w",
		LeaseEpoch: j.GetLeaseEpoch(), ErrorMessage: "down"}); err != nil {
		t.Fatal(err)
	}
	raised := lastEvent(t, e, workflowv1.EventIncidentRaised, is(inst))
	if _, err := e.ops.ResolveIncident(context.Background(), &workflowv1.ResolveIncidentRequest{IncidentId: raised["incidentId"].(string)}); err != nil {
		t.Fatal(err)
	}
	lastEvent(t, e, workflowv1.EventIncidentResolved, is(inst))
	e.complete(t, e.activate(t, "x", "w", 1)[0], nil)
	if ended := lastEvent(t, e, workflowv1.EventInstanceCompleted, is(inst)); ended["state"] != "completed" {
		t.Fatalf("instance.completed %v", ended)
	}
}
