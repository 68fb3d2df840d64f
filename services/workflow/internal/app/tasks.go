package app

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/form"
)

// UserTasks lists the tasks the signed-in person may see (administrators: all), filtered by f.
func (s *Service) UserTasks(ctx context.Context, f TaskFilter) ([]domain.UserTask, error) {
	p, err := requirePerson(ctx)
	if err != nil {
		return nil, err
	}
	switch f.State {
	case "":
		f.State = domain.TaskOpen
	case domain.TaskOpen, domain.TaskDone, domain.TaskCancelled:
	default:
		return nil, domain.Invalid("state", "must be created, completed or cancelled (got "+quote(f.State)+")")
	}
	f.Limit = 1000
	if !p.IsAdmin() {
		f.For = &p
	}
	tasks, err := s.store.UserTasks(ctx, f)
	if err != nil || p.IsAdmin() {
		return tasks, err
	}
	visible := tasks[:0]
	for _, t := range tasks {
		if t.VisibleTo(p) {
			visible = append(visible, t)
		}
	}
	return visible, nil
}

// UserTask returns a task the person may see, with the variables its element sees.
func (s *Service) UserTask(ctx context.Context, id string) (domain.UserTask, map[string]any, error) {
	p, err := requirePerson(ctx)
	if err != nil {
		return domain.UserTask{}, nil, err
	}
	t, err := s.visibleTask(ctx, p, id, false)
	if err != nil {
		return t, nil, err
	}
	inst, err := s.store.Instance(ctx, t.InstanceID)
	if err != nil {
		return t, nil, err
	}
	return t, engine.VisibleVariables(inst.Doc, t.EI), nil
}

// visibleTask reads a task the person may see. Reading one they may not see is NotFound, as for one that
// does not exist; acting on it (act) is PermissionDenied, saying who may.
func (s *Service) visibleTask(ctx context.Context, p domain.Person, id string, act bool) (domain.UserTask, error) {
	if id == "" {
		return domain.UserTask{}, domain.Invalid("taskId", "required")
	}
	t, err := s.store.UserTask(ctx, id)
	switch {
	case apierr.KindOf(err) == apierr.KindNotFound || (err == nil && !t.VisibleTo(p) && !act):
		return t, apierr.NotFound(domain.ReasonTaskNotFound, "no task "+quote(id)+" for you")
	case err == nil && !t.VisibleTo(p):
		return t, apierr.PermissionDenied(domain.ReasonNotACandidate, "you may not act on this task: it goes to its assignee and "+
			"to holders of its candidate groups ("+strings.Join(t.CandidateGroups, ", ")+")")
	}
	return t, err
}

// ClaimUserTask makes the person the assignee of an unassigned task they are a candidate for.
func (s *Service) ClaimUserTask(ctx context.Context, id string) (domain.UserTask, error) {
	p, err := requirePerson(ctx)
	if err != nil {
		return domain.UserTask{}, err
	}
	return s.changeTask(ctx, p, id, func(t *domain.UserTask) error { return t.Claim(p) })
}

// AssignUserTask sets (or clears) a task's assignee. Administrators only.
func (s *Service) AssignUserTask(ctx context.Context, id, assignee string) (domain.UserTask, error) {
	p, err := requirePerson(ctx)
	if err != nil {
		return domain.UserTask{}, err
	}
	if !p.IsAdmin() {
		return domain.UserTask{}, apierr.PermissionDenied(domain.ReasonAdminOnly, "assigning a task to someone needs the admin role; claim it instead")
	}
	return s.changeTask(ctx, p, id, func(t *domain.UserTask) error {
		if t.State != domain.TaskOpen {
			return apierr.FailedPrecondition(domain.ReasonTaskNotOpen, "the task is "+t.State+", not open")
		}
		t.Assignee = assignee
		return nil
	})
}

// changeTask locks a task the person may see, changes it and records the assignment.
func (s *Service) changeTask(ctx context.Context, p domain.Person, id string, change func(*domain.UserTask) error) (domain.UserTask, error) {
	if _, err := s.visibleTask(ctx, p, id, true); err != nil {
		return domain.UserTask{}, err
	}
	var out domain.UserTask
	err := s.inTx(ctx, func(r *run) error {
		t, err := r.tx.LockUserTask(r.ctx, id)
		if err != nil {
			return err
		}
		before := t.Assignee
		if err := change(&t); err != nil {
			return err
		}
		out = t
		if t.Assignee == before {
			return nil
		}
		if err := r.tx.SaveUserTask(r.ctx, t); err != nil {
			return err
		}
		r.tx.Publish(domain.TaskAssigned{Task: t, By: p.Name(), At: r.now})
		return r.tx.AppendHistory(r.ctx, domain.HistoryEntry{InstanceID: t.InstanceID, At: r.now, Kind: "task.assigned",
			ElementID: t.ElementID, Actor: r.actor.user, Client: r.actor.client, Detail: map[string]any{"task": t.ID, "assignee": t.Assignee}})
	})
	return out, err
}

// CompleteUserTask completes a task with the form's data, checked against its form; the instance goes on
// in the same transaction.
func (s *Service) CompleteUserTask(ctx context.Context, id string, vars map[string]any) (domain.UserTask, error) {
	p, err := requirePerson(ctx)
	if err != nil {
		return domain.UserTask{}, err
	}
	found, err := s.visibleTask(ctx, p, id, true)
	if err != nil {
		return found, err
	}
	if err := checkForm(found, vars); err != nil {
		return found, err
	}
	var out domain.UserTask
	err = s.inTx(ctx, func(r *run) error {
		inst, err := r.lock(found.InstanceID)
		if err != nil {
			return err
		}
		if inst.Suspended {
			return suspendedError(inst)
		}
		t, err := r.tx.LockUserTask(r.ctx, id)
		if err != nil {
			return err
		}
		if err := t.CheckCompletion(p); err != nil {
			return err
		}
		at := r.now
		t.State, t.CompletedAt, t.CompletedBy = domain.TaskDone, &at, p.Name()
		if err := r.tx.SaveUserTask(r.ctx, t); err != nil {
			return err
		}
		model, err := r.modelOf(&inst)
		if err != nil {
			return err
		}
		r.tx.Publish(domain.TaskCompleted{Task: t, By: p.Name(), At: r.now})
		out = t
		return r.step(&inst, model, engine.UserTaskCompleted{TaskID: id, Vars: vars}, &StepWrite{})
	})
	return out, err
}

// checkForm checks submitted data against the task's form: a 400 naming every field that is wrong.
func checkForm(t domain.UserTask, vars map[string]any) error {
	if t.Form == nil {
		return nil
	}
	raw, err := json.Marshal(t.Form)
	if err != nil {
		return err
	}
	f, err := form.Parse(raw)
	if err != nil {
		return apierr.FailedPrecondition(domain.ReasonFormInvalid, "the task's form cannot be read: "+err.Error())
	}
	vs := f.Check(vars)
	if len(vs) == 0 {
		return nil
	}
	out := make([]apierr.FieldViolation, len(vs))
	for i, v := range vs {
		out[i] = apierr.FieldViolation{Field: "variables." + v.Field, Description: v.Description}
	}
	return apierr.Invalid(domain.ReasonFormInvalid, "the data does not fit the task's form: "+out[0].Field+" "+out[0].Description, out...)
}
