package workflow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
)

// bpmnDoc wraps a process body in a definitions file (process id "p").
func bpmnDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
<bpmn:process id="p" isExecutable="true">` + body + `</bpmn:process>
<bpmn:message id="Msg" name="bid"><bpmn:extensionElements><zeebe:subscription correlationKey="=tenderId"/></bpmn:extensionElements></bpmn:message>
<bpmn:error id="Rejected" errorCode="REJECTED"/>
</bpmn:definitions>`
}

// serviceChain is start -> service tasks of the given types in a row -> end.
func serviceChain(types ...string) string {
	body := `<bpmn:startEvent id="S"/>`
	prev := "S"
	for i, typ := range types {
		id := "T" + string(rune('a'+i))
		body += `<bpmn:sequenceFlow id="f` + id + `" sourceRef="` + prev + `" targetRef="` + id + `"/>` +
			`<bpmn:serviceTask id="` + id + `"><bpmn:extensionElements><zeebe:taskDefinition type="` + typ + `" retries="3"/>` +
			`</bpmn:extensionElements></bpmn:serviceTask>`
		prev = id
	}
	return body + `<bpmn:sequenceFlow id="fend" sourceRef="` + prev + `" targetRef="E"/><bpmn:endEvent id="E"/>`
}

func TestAWorkerThatLostItsLeaseCannotCompleteTheJob(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(serviceChain("pay")))
	inst := e.startProcess(t, "p", nil, "")
	ctx := context.Background()
	first, err := e.jobs.ActivateJobs(ctx, &workflowv1.ActivateJobsRequest{Type: "pay", Worker: "w1", Timeout: 1000})
	if err != nil || len(first.GetJobs()) != 1 {
		t.Fatalf("activate: %v %v", first, err)
	}
	if again := e.activate(t, "pay", "w2", 1); len(again) != 0 {
		t.Fatalf("a leased job was handed out twice: %v", again)
	}
	e.clock.Add(2 * time.Second) // w1 stalls past its lease
	taken := e.activate(t, "pay", "w2", 1)
	if len(taken) != 1 || taken[0].GetLeaseEpoch() != first.GetJobs()[0].GetLeaseEpoch()+1 {
		t.Fatalf("the expired job was not taken over with a new epoch: %v", taken)
	}
	stale := first.GetJobs()[0]
	_, err = e.jobs.CompleteJob(ctx, &workflowv1.CompleteJobRequest{JobKey: stale.GetKey(), Worker: "w1", LeaseEpoch: stale.GetLeaseEpoch()})
	testkit.WantReason(t, err, codes.FailedPrecondition, "LEASE_LOST")
	_, err = e.jobs.ExtendJobLease(ctx, &workflowv1.ExtendJobLeaseRequest{JobKey: stale.GetKey(), Worker: "w1", LeaseEpoch: stale.GetLeaseEpoch(), Timeout: 60000})
	testkit.WantReason(t, err, codes.FailedPrecondition, "LEASE_LOST")
	e.complete(t, taken[0], map[string]any{"paid": true})
	if got := e.instance(t, inst.GetId()); got.GetState() != "completed" {
		t.Fatalf("instance %v", got)
	}
	_, err = e.jobs.CompleteJob(ctx, &workflowv1.CompleteJobRequest{JobKey: taken[0].GetKey(), Worker: "w2", LeaseEpoch: taken[0].GetLeaseEpoch()})
	testkit.WantReason(t, err, codes.NotFound, "JOB_NOT_FOUND")
}

func TestAFailingJobIsRetriedWithBackoffThenRaisesAnIncident(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(serviceChain("pay")))
	inst := e.startProcess(t, "p", nil, "")
	ctx := context.Background()
	fail := func(j *workflowv1.Job, retries, backoff int32) {
		t.Helper()
		if _, err := e.jobs.FailJob(ctx, &workflowv1.FailJobRequest{JobKey: j.GetKey(), Worker: j.GetWorker(), LeaseEpoch: j.GetLeaseEpoch(),
			Retries: retries, ErrorMessage: "bank unreachable", RetryBackOff: backoff}); err != nil {
			t.Fatal(err)
		}
	}
	fail(e.activate(t, "pay", "w", 1)[0], 1, 30000)
	if jobs := e.activate(t, "pay", "w", 1); len(jobs) != 0 {
		t.Fatalf("the job came back before its backoff: %v", jobs)
	}
	e.clock.Add(31 * time.Second)
	fail(e.activate(t, "pay", "w", 1)[0], 0, 0)
	incidents, err := e.ops.ListIncidents(ctx, &workflowv1.ListIncidentsRequest{InstanceId: inst.GetId()})
	if err != nil || len(incidents.GetIncidents()) != 1 || incidents.GetIncidents()[0].GetKind() != "JOB_NO_RETRIES" ||
		incidents.GetIncidents()[0].GetMessage() != "bank unreachable" {
		t.Fatalf("incidents %v %v", incidents, err)
	}
	if got := e.instance(t, inst.GetId()); got.GetOpenIncidents() != 1 {
		t.Fatalf("instance %v", got)
	}
	status, err := e.ops.GetStatus(ctx, &workflowv1.GetStatusRequest{})
	if err != nil || status.GetOpenIncidents() != 1 {
		t.Fatalf("status %v %v", status, err)
	}
	if jobs := e.activate(t, "pay", "w", 1); len(jobs) != 0 {
		t.Fatalf("a job without retries was handed out: %v", jobs)
	}
	if _, err := e.ops.ResolveIncident(ctx, &workflowv1.ResolveIncidentRequest{IncidentId: incidents.GetIncidents()[0].GetId(), Retries: 2}); err != nil {
		t.Fatal(err)
	}
	j := e.activate(t, "pay", "w", 1)
	if len(j) != 1 || j[0].GetRetries() != 2 {
		t.Fatalf("after the fix: %v", j)
	}
	e.complete(t, j[0], nil)
	if got := e.instance(t, inst.GetId()); got.GetState() != "completed" || got.GetOpenIncidents() != 0 {
		t.Fatalf("instance %v", got)
	}
}

func TestActivationWaitsForAJob(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(serviceChain("slow")))
	got := make(chan []*workflowv1.Job, 1)
	go func() {
		out, err := e.jobs.ActivateJobs(context.Background(), &workflowv1.ActivateJobsRequest{Type: "slow", Worker: "w", RequestTimeout: 30000})
		if err != nil {
			t.Error(err)
		}
		got <- out.GetJobs()
	}()
	e.startProcess(t, "p", nil, "")
	select {
	case jobs := <-got:
		if len(jobs) != 1 {
			t.Fatalf("jobs %v", jobs)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("the waiting activation never got the job")
	}
}

func TestJobVariablesAndErrors(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(`<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="X"/>
<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="check"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:boundaryEvent id="B" attachedToRef="X"><bpmn:errorEventDefinition errorRef="Rejected"/></bpmn:boundaryEvent>
<bpmn:sequenceFlow id="f2" sourceRef="X" targetRef="E"/><bpmn:endEvent id="E"/>
<bpmn:sequenceFlow id="f3" sourceRef="B" targetRef="R"/><bpmn:userTask id="R"/>`))
	inst := e.startProcess(t, "p", map[string]any{"a": 1, "b": "two"}, "")
	out, err := e.jobs.ActivateJobs(context.Background(), &workflowv1.ActivateJobsRequest{Type: "check", Worker: "w", FetchVariable: []string{"b"}})
	if err != nil || len(out.GetJobs()) != 1 {
		t.Fatal(out, err)
	}
	j := out.GetJobs()[0]
	if vars := j.GetVariables().AsMap(); len(vars) != 1 || vars["b"] != "two" {
		t.Fatalf("fetched %v", vars)
	}
	if _, err := e.jobs.ThrowJobError(context.Background(), &workflowv1.ThrowJobErrorRequest{JobKey: j.GetKey(), Worker: "w",
		LeaseEpoch: j.GetLeaseEpoch(), ErrorCode: "REJECTED"}); err != nil {
		t.Fatal(err)
	}
	if err := wantWaiting(e.instance(t, inst.GetId()), "R"); err != nil {
		t.Fatal(err)
	}
	_, err = e.jobs.ActivateJobs(context.Background(), &workflowv1.ActivateJobsRequest{Type: " ", Worker: "w"})
	testkit.WantViolation(t, err, "type")
	if err != nil && !strings.Contains(err.Error(), "required") {
		t.Fatalf("error %v", err)
	}
}
