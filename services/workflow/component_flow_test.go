package workflow_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
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
