package workflow_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
)

const tenderReview = "internal/domain/bpmn/testdata/tender-review.bpmn"

// TestTenderReviewRunsEndToEnd is issue 15's "done means" at the BB: a modeler file with a pool, a
// multi-instance user task, an exclusive gateway, a timer and a service task is deployed; a start repeated
// with its idempotency key makes one instance; the panel's tasks are done by signed-in staff and refused to
// a supplier; the timer fires once; the service task's job completes; the instance completes.
func TestTenderReviewRunsEndToEnd(t *testing.T) {
	e := start(t)
	p := e.deployFile(t, tenderReview)
	if p.GetKey() != "tender-review" || p.GetVersionNumber() != 1 || !p.GetEnabled() {
		t.Fatalf("deployed %+v", p)
	}
	vars := map[string]any{"panel": []any{"ann@example.org", "ben@example.org"}, "amount": 25000, "standstill": "PT10M",
		"bidderEmail": "bidder@example.org"}
	first := e.startProcess(t, "tender-review", vars, "start-key-1")
	again := e.startProcess(t, "tender-review", vars, "start-key-1")
	if first.GetId() != again.GetId() || first.GetState() != "running" {
		t.Fatalf("two starts with one key: %v and %v", first, again)
	}
	list, err := e.instances.ListInstances(context.Background(), &workflowv1.ListInstancesRequest{ProcessId: "tender-review"})
	if err != nil || len(list.GetInstances()) != 1 {
		t.Fatalf("instances %v %v", list, err)
	}

	ctx := context.Background()
	supplier := e.tokens.as(t, ctx, "eve@example.org", "supplier")
	staff := func(who string) context.Context { return e.tokens.as(t, ctx, who, "staff") }
	tasks, err := e.tasks.ListUserTasks(staff("ann@example.org"), &workflowv1.ListUserTasksRequest{})
	if err != nil || len(tasks.GetTasks()) != 2 {
		t.Fatalf("staff see %v (%v)", tasks, err)
	}
	if mine, _ := e.tasks.ListUserTasks(supplier, &workflowv1.ListUserTasksRequest{}); len(mine.GetTasks()) != 0 {
		t.Fatalf("a supplier sees the panel's tasks: %v", mine)
	}
	score := func(ctx context.Context, task *workflowv1.UserTask, n float64) error {
		s, _ := structpb.NewStruct(map[string]any{"score": n})
		_, err := e.tasks.CompleteUserTask(ctx, &workflowv1.CompleteUserTaskRequest{TaskId: task.GetId(), Variables: s})
		return err
	}
	// Each panel member's task carries their item of the collection (inputElement "evaluator").
	byEvaluator := map[string]*workflowv1.UserTask{}
	for _, tk := range tasks.GetTasks() {
		full, err := e.tasks.GetUserTask(staff("ann@example.org"), &workflowv1.GetUserTaskRequest{TaskId: tk.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		byEvaluator[full.GetTask().GetVariables().AsMap()["evaluator"].(string)] = tk
	}
	task0, task1 := byEvaluator["ann@example.org"], byEvaluator["ben@example.org"]
	testkit.WantReason(t, score(supplier, task0, 3), codes.PermissionDenied, "NOT_A_CANDIDATE")
	testkit.WantCode(t, score(staff("ann@example.org"), task0, 9), codes.InvalidArgument) // the form allows 1..5
	if err := score(staff("ann@example.org"), task0, 4); err != nil {
		t.Fatal(err)
	}
	if err := score(staff("ben@example.org"), task1, 2); err != nil {
		t.Fatal(err)
	}

	inst := e.instance(t, first.GetId())
	if got := inst.GetWaitingAt(); len(got) != 1 || got[0] != "Event_StandStill" {
		t.Fatalf("waiting at %v", got)
	}
	e.clock.Add(11 * time.Minute)
	testkit.Eventually(t, 10*time.Second, "the standstill timer fires", func() error {
		return wantWaiting(e.instance(t, first.GetId()), "Activity_Notify")
	})
	jobs := e.activate(t, "govstack-messaging-send", "mailer", 10)
	if len(jobs) != 1 || jobs[0].GetVariables().AsMap()["recipients"].([]any)[0] != "bidder@example.org" {
		t.Fatalf("jobs %v", jobs)
	}
	e.complete(t, jobs[0], map[string]any{"sent": true})
	done := e.instance(t, first.GetId())
	if done.GetState() != "completed" || !done.GetEnded() {
		t.Fatalf("instance %v", done)
	}
	scores := done.GetVariables().AsMap()["scores"].([]any)
	if len(scores) != 2 || scores[0] != 4.0 || scores[1] != 2.0 {
		t.Fatalf("scores %v", scores)
	}
	history, err := e.instances.ListHistory(ctx, &workflowv1.ListHistoryRequest{InstanceId: first.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	fired := 0
	for _, h := range history.GetEntries() {
		if h.GetKind() == "timer.fired" {
			fired++
		}
	}
	if fired != 1 {
		t.Fatalf("the timer fired %d times", fired)
	}
}

func wantWaiting(i *workflowv1.ProcessInstance, element string) error {
	if w := i.GetWaitingAt(); len(w) != 1 || w[0] != element {
		return errorf("waiting at %v, want %s (state %s)", w, element, i.GetState())
	}
	return nil
}

func wantWaitingAll(i interface{ GetWaitingAt() []string }, elements ...string) error {
	got := i.GetWaitingAt()
	if len(got) != len(elements) {
		return errorf("waiting at %v, want %v", got, elements)
	}
	for k := range got {
		if got[k] != elements[k] {
			return errorf("waiting at %v, want %v", got, elements)
		}
	}
	return nil
}

// A task for one organisation's buyers (candidate group "buyer@<organisation>", from a variable) is listed
// and done by them only; the filter runs in the query, before its limit, so another organisation's tasks
// never crowd them out.
func TestTasksOfOneOrganisation(t *testing.T) {
	e := start(t)
	e.deploy(t, bpmnDoc(`<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Approve"/>
<bpmn:userTask id="Approve"><bpmn:extensionElements>
<zeebe:assignmentDefinition candidateGroups="=[&#34;buyer@&#34; + buyerOrganisation]"/></bpmn:extensionElements></bpmn:userTask>
<bpmn:sequenceFlow id="f2" sourceRef="Approve" targetRef="E"/><bpmn:endEvent id="E"/>`))
	// More of another organisation's tasks than a list reads (1000), all older than the first of ours.
	for i := range 1001 {
		e.startProcess(t, "p", map[string]any{"buyerOrganisation": "Devon County Council"}, fmt.Sprint("devon-", i))
	}
	for i, org := range []string{"Ministry of Justice", "Thanet District Council", "Ministry of Justice", "Thanet, Kent"} {
		e.startProcess(t, "p", map[string]any{"buyerOrganisation": org}, fmt.Sprint("org-", i))
	}
	ctx := context.Background()
	count := func(who context.Context) int {
		t.Helper()
		l, err := e.tasks.ListUserTasks(who, &workflowv1.ListUserTasksRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return len(l.GetTasks())
	}
	moj := e.tokens.asOf(t, ctx, "dan@justice.gov.uk", "Ministry of Justice", "buyer")
	for who, want := range map[context.Context]int{
		moj: 2,
		e.tokens.asOf(t, ctx, "sarah@thanet.gov.uk", "Thanet District Council", "buyer"): 1,
		e.tokens.asOf(t, ctx, "kim@kent.gov.uk", "Thanet, Kent", "buyer"):                1, // a comma is part of the name
		e.tokens.asOf(t, ctx, "sup@justice.gov.uk", "Ministry of Justice", "supplier"):   0,
		e.tokens.as(t, ctx, "nobody@example.org", "buyer"):                               0,
		e.tokens.as(t, ctx, "root@example.org", "admin"):                                 1000, // a list reads 1000
		e.tokens.asOf(t, ctx, "jo@devon.gov.uk", "Devon County Council", "buyer"):        1000,
	} {
		if got := count(who); got != want {
			t.Errorf("sees %d tasks, want %d", got, want)
		}
	}
	l, _ := e.tasks.ListUserTasks(moj, &workflowv1.ListUserTasksRequest{})
	thanet := e.tokens.asOf(t, ctx, "sarah@thanet.gov.uk", "Thanet District Council", "buyer")
	if _, err := e.tasks.CompleteUserTask(thanet, &workflowv1.CompleteUserTaskRequest{TaskId: l.GetTasks()[0].GetId()}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("another organisation's buyer completed the task: %v", err)
	}
	if _, err := e.tasks.CompleteUserTask(moj, &workflowv1.CompleteUserTaskRequest{TaskId: l.GetTasks()[0].GetId()}); err != nil {
		t.Fatal(err)
	}
}
