package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// The element instance of a task is in the instance's state; the row keeps what the task list needs.
const taskColumns = `t.id::text, t.instance_id::text, t.process_key, t.element_id, t.name, t.state, t.assignee, t.candidate_groups,
t.candidate_users, t.form_key, t.form, t.due_at, t.follow_up_at, t.created_at, t.completed_at, t.completed_by,
coalesce((SELECT i.doc->'tasks'->>t.id::text FROM instance i WHERE i.id = t.instance_id), '')`

func scanTask(row pgx.CollectableRow) (domain.UserTask, error) {
	var t domain.UserTask
	var form []byte
	if err := row.Scan(&t.ID, &t.InstanceID, &t.ProcessKey, &t.ElementID, &t.Name, &t.State, &t.Assignee, &t.CandidateGroups,
		&t.CandidateUsers, &t.FormKey, &form, &t.DueAt, &t.FollowUpAt, &t.CreatedAt, &t.CompletedAt, &t.CompletedBy, &t.EI); err != nil {
		return t, err
	}
	if form != nil {
		return t, json.Unmarshal(form, &t.Form)
	}
	return t, nil
}

func (r queries) oneTask(ctx context.Context, sql string, args ...any) (domain.UserTask, error) {
	rows, err := r.q.Query(ctx, sql, args...)
	if err != nil {
		return domain.UserTask{}, pgstore.MapError(err)
	}
	t, err := pgx.CollectExactlyOneRow(rows, scanTask)
	return t, notFound(err, domain.ReasonTaskNotFound, "task")
}

// UserTask reads a task.
func (r queries) UserTask(ctx context.Context, id string) (domain.UserTask, error) {
	if !isUUID(id) {
		return domain.UserTask{}, notFound(pgx.ErrNoRows, domain.ReasonTaskNotFound, "task")
	}
	return r.oneTask(ctx, `SELECT `+taskColumns+` FROM user_task t WHERE t.id = $1`, id)
}

// LockUserTask reads a task and locks it until the transaction ends.
func (r queries) LockUserTask(ctx context.Context, id string) (domain.UserTask, error) {
	if !isUUID(id) {
		return domain.UserTask{}, notFound(pgx.ErrNoRows, domain.ReasonTaskNotFound, "task")
	}
	return r.oneTask(ctx, `SELECT `+taskColumns+` FROM user_task t WHERE t.id = $1 FOR UPDATE OF t`, id)
}

// SaveUserTask saves a task's state, assignee and completion.
func (r queries) SaveUserTask(ctx context.Context, t domain.UserTask) error {
	_, err := r.q.Exec(ctx, `UPDATE user_task SET state = $2, assignee = $3, completed_at = $4, completed_by = $5 WHERE id = $1`,
		t.ID, t.State, t.Assignee, t.CompletedAt, t.CompletedBy)
	return pgstore.MapError(err)
}

// UserTasks lists tasks, oldest first.
func (r queries) UserTasks(ctx context.Context, f app.TaskFilter) ([]domain.UserTask, error) {
	where := []string{"t.state = $1"}
	args := []any{f.State}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Assignee != "" {
		add("lower(t.assignee) = lower($%d)", f.Assignee)
	}
	if f.CandidateGroup != "" {
		add("$%d = ANY(t.candidate_groups)", f.CandidateGroup)
	}
	if f.ProcessKey != "" {
		add("t.process_key = $%d", f.ProcessKey)
	}
	if p := f.For; p != nil {
		// domain.UserTask.VisibleTo, less the administrator (who is never filtered): the assignee or a
		// candidate user by account id or e-mail (any case), or a candidate group the person holds.
		args = append(args, p.Groups(), p.ID, p.Email)
		g, id, email := len(args)-2, len(args)-1, len(args)
		where = append(where, fmt.Sprintf(`(t.candidate_groups && $%d::text[]
			OR t.assignee <> '' AND (t.assignee = NULLIF($%d, '') OR lower(t.assignee) = lower(NULLIF($%d, '')))
			OR EXISTS (SELECT 1 FROM unnest(t.candidate_users) u WHERE u = NULLIF($%d, '') OR lower(u) = lower(NULLIF($%d, ''))))`,
			g, id, email, id, email))
	}
	args = append(args, f.Limit)
	rows, err := r.q.Query(ctx, `SELECT `+taskColumns+` FROM user_task t WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY t.created_at, t.id LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, scanTask)
	return out, pgstore.MapError(err)
}
