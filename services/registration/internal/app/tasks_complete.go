package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
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
	t, err := s.store.Task(ctx, id)
	if err != nil {
		return Completion{}, err
	}
	if !claims.HasRole(t.RoleID, usertoken.RoleAdmin) {
		return Completion{}, apierr.PermissionDenied("ROLE_REQUIRED", "this task is for the role "+t.RoleID)
	}
	if t.Status == domain.TaskCompleted {
		return Completion{}, domain.ErrTaskCompleted(t)
	}
	a, err := s.store.Application(ctx, t.FileID)
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
	err = s.store.InTx(ctx, func(tx Tx) error {
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

// decide is the decision's transaction: lock the task, complete it (once), decide the file (unless it has
// ended), announce and audit.
func (s *Service) decide(ctx context.Context, tx Tx, taskID string, d Decision, claims usertoken.Claims) (domain.Task, error) {
	t, err := tx.LockTask(ctx, taskID)
	if err != nil {
		return t, err
	}
	now := s.stamp()
	if err := t.Complete(d.Status, d.Comment, claims.Subject, claims.Name, now); err != nil {
		return t, err
	}
	a, err := tx.LockApplication(ctx, t.FileID)
	if err != nil {
		return t, err
	}
	ev, err := a.Decide(d.Status, d.Comment, claims.Subject, now)
	if err != nil {
		return t, err
	}
	if err := tx.SaveTask(ctx, t); err != nil {
		return t, err
	}
	if err := tx.SaveApplication(ctx, a); err != nil {
		return t, err
	}
	tx.Publish(ev)
	return t, s.audit(ctx, tx, domain.AuditEntry{ActorID: claims.Subject, Action: "task.complete", Subject: t.ID,
		Detail: map[string]any{"fileId": a.FileID, "service": t.ServiceKey, "decision": domain.DecisionWord(d.Status),
			"status": d.Status, "comment": d.Comment, "operatorName": claims.Name, "roles": claims.Roles}})
}
