package app

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

// Completion is the outcome of CompleteTask.
type Completion struct {
	Task   domain.Task
	Status string // the file's new status
}

// CompleteTask records an operator's decision on a task: data {"decision": "approve"|"reject"|"sendback",
// "comment": "..."}. The caller needs the task's role (admin may complete any). The flow of the file's
// service prepares first (calls to other BBs, outside the transaction); then the task, the file's status,
// application.decided, the audit record and the flow's own effects commit together. A completed task is
// 400 TASK_COMPLETED; of concurrent completions exactly one wins.
func (s *Service) CompleteTask(ctx context.Context, taskID string, data map[string]any) (Completion, error) {
	claims, err := usertoken.RequireRole(ctx)
	if err != nil {
		return Completion{}, err
	}
	id, err := domain.LookupID("TASK_NOT_FOUND", "task", taskID)
	if err != nil {
		return Completion{}, err
	}
	word, _ := data["decision"].(string)
	status, err := domain.ParseDecision(word)
	if err != nil {
		return Completion{}, err
	}
	comment, _ := data["comment"].(string)
	t, err := store.GetTask(ctx, s.pool, id, false)
	if err != nil {
		return Completion{}, err
	}
	if !claims.HasRole(t.RoleID, usertoken.RoleAdmin) {
		return Completion{}, apierr.PermissionDenied("ROLE_REQUIRED", "this task is for the role "+t.RoleID)
	}
	if t.Status == domain.TaskCompleted {
		return Completion{}, taskCompleted(t)
	}
	a, err := store.GetApplication(ctx, s.pool, t.FileID, false)
	if err != nil {
		return Completion{}, err
	}
	d := Decision{FileID: t.FileID, TaskID: t.ID, ServiceKey: t.ServiceKey, ApplicantID: t.ApplicantID,
		Status: status, Comment: comment, OperatorID: claims.Subject, Data: a.Data}
	flow := s.flows[t.ServiceKey]
	if flow.Prepare != nil {
		if err := flow.Prepare(ctx, d); err != nil {
			return Completion{}, err
		}
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = s.decide(ctx, tx, id, d, claims)
		if err != nil || flow.Decided == nil {
			return err
		}
		return flow.Decided(ctx, tx, d)
	})
	if err != nil {
		return Completion{}, err
	}
	return Completion{Task: t, Status: status}, nil
}

// decide is the decision's transaction: lock the task, check it is still open, complete it, move the file,
// announce and audit.
func (s *Service) decide(ctx context.Context, tx pgx.Tx, taskID string, d Decision, claims usertoken.Claims) (domain.Task, error) {
	t, err := store.GetTask(ctx, tx, taskID, true)
	if err != nil {
		return t, err
	}
	if t.Status == domain.TaskCompleted {
		return t, taskCompleted(t)
	}
	a, err := store.GetApplication(ctx, tx, t.FileID, true)
	if err != nil {
		return t, err
	}
	if a.Ended {
		return t, apierr.FailedPrecondition("APPLICATION_ENDED", "application file "+a.FileID+" is already "+a.Status)
	}
	t.Status, t.Completed, t.CompletedBy, t.CompletedByName = domain.TaskCompleted, s.stamp(), claims.Subject, claims.Name
	t.Decision, t.Comment = d.Status, d.Comment
	if err := store.CompleteTask(ctx, tx, t); err != nil {
		return t, err
	}
	a.Status, a.Ended = d.Status, domain.FinalStatus(d.Status)
	if err := store.SetApplicationStatus(ctx, tx, a.FileID, a.Status, a.Ended, t.Completed); err != nil {
		return t, err
	}
	if err := s.announce(ctx, tx, EventApplicationDecided, a, d.Comment, claims.Subject); err != nil {
		return t, err
	}
	return t, s.audit(ctx, tx, AuditEntry{ActorID: claims.Subject, Action: "task.complete", Subject: t.ID,
		Detail: map[string]any{"fileId": a.FileID, "service": t.ServiceKey, "decision": decisionWord(d.Status),
			"status": d.Status, "comment": d.Comment, "operatorName": claims.Name, "roles": claims.Roles}})
}

func taskCompleted(t domain.Task) error {
	return apierr.FailedPrecondition("TASK_COMPLETED",
		fmt.Sprintf("task %s was already completed (%s) on %s", t.ID, decisionWord(t.Decision), t.Completed.Format("2006-01-02 15:04 MST")))
}
