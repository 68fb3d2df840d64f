package workflow_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
)

// doTask completes, as who (with roles), the open task of element (found as an administrator sees tasks:
// who's own if one is assigned to them), with vars.
func (e *env) doTask(t *testing.T, who string, roles []string, element string, vars map[string]any) error {
	ctx := e.tokens.as(t, context.Background(), who, roles...)
	t.Helper()
	var task *workflowv1.UserTask
	admin := e.tokens.as(t, context.Background(), "root@example.org", "admin")
	testkit.Eventually(t, 10*time.Second, "a task "+element, func() error {
		list, err := e.tasks.ListUserTasks(admin, &workflowv1.ListUserTasksRequest{})
		if err != nil {
			return err
		}
		for _, tk := range list.GetTasks() {
			if tk.GetElementId() == element && (task == nil || tk.GetAssignee() == who) {
				task = tk
			}
		}
		if task != nil {
			return nil
		}
		return fmt.Errorf("no open %s task among %v", element, list.GetTasks())
	})
	s, err := structpb.NewStruct(vars)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.tasks.CompleteUserTask(ctx, &workflowv1.CompleteUserTaskRequest{TaskId: task.GetId(), Variables: s})
	return err
}

// TestTheShippedProcurementEvaluationRuns: the procurement evaluation as shipped — started by the
// tender-closed message, scored by a two-member panel, approved by the contracts committee, cleared by
// legal, awarded, and the bidders notified.
func TestTheShippedProcurementEvaluationRuns(t *testing.T) {
	e := start(t)
	e.deployFile(t, "processes/procurement-evaluation.bpmn")
	out := e.publish(t, "tender-closed", "T-77", "", 0, map[string]any{"tenderId": "T-77",
		"panel":   []any{"ann@example.org", "ben@example.org"},
		"bidders": []any{map[string]any{"name": "Acme", "email": "bids@acme.example"}, map[string]any{"name": "Contoso", "email": "bids@contoso.example"}}})
	if len(out.GetProcessInstanceIds()) != 1 {
		t.Fatalf("started %v", out)
	}
	id := out.GetProcessInstanceIds()[0]
	sheet := func(tech float64) map[string]any {
		return map[string]any{"technicalScore": tech, "commercialScore": 70.0, "recommendation": "award", "comment": "fine"}
	}
	if err := e.doTask(t, "ben@example.org", []string{"evaluation-panel"}, "Activity_evaluate", sheet(80)); err != nil {
		t.Fatal(err)
	}
	if err := e.doTask(t, "ann@example.org", []string{"evaluation-panel"}, "Activity_evaluate", sheet(90)); err != nil {
		t.Fatal(err)
	}
	testkit.WantReason(t, e.doTask(t, "lee@example.org", []string{"legal"}, "Activity_committee", map[string]any{"decision": "approve"}),
		codes.PermissionDenied, "NOT_A_CANDIDATE")
	if err := e.doTask(t, "chair@example.org", []string{"contracts-committee"}, "Activity_committee", map[string]any{"decision": "approve"}); err != nil {
		t.Fatal(err)
	}
	if err := e.doTask(t, "lee@example.org", []string{"legal"}, "Activity_legal", map[string]any{"opinion": "clear"}); err != nil {
		t.Fatal(err)
	}
	if err := e.doTask(t, "chair@example.org", []string{"contracts-committee"}, "Activity_award",
		map[string]any{"winner": "Acme", "justification": "best value"}); err != nil {
		t.Fatal(err)
	}
	jobs := e.activate(t, "govstack-messaging-send", "mailer", 1)
	if len(jobs) != 1 {
		t.Fatalf("jobs %v", jobs)
	}
	vars := jobs[0].GetVariables().AsMap()
	if fmt.Sprint(vars["recipients"]) != "[bids@acme.example bids@contoso.example]" || vars["subject"] != "Tender T-77: award decision" {
		t.Fatalf("the notice %v", vars)
	}
	e.complete(t, jobs[0], nil)
	done := e.instance(t, id)
	evals, _ := done.GetVariables().AsMap()["evaluations"].([]any)
	if done.GetState() != "completed" || done.GetVariables().AsMap()["awardedTo"] != "Acme" || len(evals) != 2 {
		t.Fatalf("instance %v", done)
	}
}
