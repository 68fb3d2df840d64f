package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// TaskQuery is a list of tasks: filters and paging as sent.
type TaskQuery struct {
	MainTaskID, FileID, AssigneeID string
	FirstResult, MaxResult         int32
	SortBy, SortOrder              string
}

// ListTasks lists tasks, newest first. An applicant sees only the tasks on their own files.
func (s *Service) ListTasks(ctx context.Context, q TaskQuery) ([]domain.Task, error) {
	if err := callerOf(ctx).requirePersonalData("tasks"); err != nil {
		return nil, err
	}
	page, err := domain.ParsePage(q.FirstResult, q.MaxResult, q.SortBy, q.SortOrder)
	if err != nil {
		return nil, err
	}
	f := TaskFilter{AssigneeID: q.AssigneeID, Page: page}
	// A filter id no task can have (not a UUID) matches nothing: an empty list, as for any unknown id.
	var ok bool
	if q.MainTaskID != "" {
		if f.MainTaskID, ok = domain.FilterID(q.MainTaskID); !ok {
			return nil, nil
		}
	}
	if q.FileID != "" {
		if f.FileID, ok = domain.FilterID(q.FileID); !ok {
			return nil, nil
		}
	}
	if c := callerOf(ctx); c.applicantOnly() {
		f.ApplicantID = c.claims.Subject
	}
	return s.store.ListTasks(ctx, f)
}

// TaskDetail is a task with what the operator needs to decide.
type TaskDetail struct {
	domain.Task
	// FormVariables are the inputs CompleteTask takes.
	FormVariables map[string]any
	// Data is the application's form data.
	Data map[string]any
}

// GetTask returns a task with the application's data; an applicant sees only tasks on their own files.
func (s *Service) GetTask(ctx context.Context, taskID string) (TaskDetail, error) {
	if err := callerOf(ctx).requirePersonalData("tasks"); err != nil {
		return TaskDetail{}, err
	}
	id, err := domain.LookupID("TASK_NOT_FOUND", "task", taskID)
	if err != nil {
		return TaskDetail{}, err
	}
	t, err := s.store.Task(ctx, id)
	if err != nil {
		return TaskDetail{}, err
	}
	if !callerOf(ctx).mayRead(t.ApplicantID) {
		return TaskDetail{}, apierr.NotFound("TASK_NOT_FOUND", "no task with id "+id)
	}
	a, err := s.store.Application(ctx, t.FileID)
	if err != nil {
		return TaskDetail{}, err
	}
	vars := map[string]any{"decision": "approve|reject|sendback", "comment": ""}
	if t.Status == domain.TaskCompleted {
		vars = map[string]any{"decision": domain.DecisionWord(t.Decision), "comment": t.Comment}
	}
	return TaskDetail{Task: t, FormVariables: vars, Data: a.Data}, nil
}
