package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AddTask opens a task (ID, FileID, Name, RoleID and Created set by the caller).
func (t *tx) AddTask(ctx context.Context, task domain.Task) error {
	data, err := json.Marshal(jsonObject(task.Data))
	if err != nil {
		return fmt.Errorf("task data: %w", err)
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO tasks (task_id, main_task_id, file_id, name, description, role_id, assignee_id,
		status, created, data) VALUES ($1, NULLIF($2, '')::uuid, $3, $4, $5, $6, $7, 'PENDING', $8, $9)`,
		task.ID, task.MainTaskID, task.FileID, task.Name, task.Description, task.RoleID, task.AssigneeID, task.Created, data)
	return mapErr(err)
}

const taskCols = `t.task_id::text, COALESCE(t.main_task_id, t.task_id)::text, t.file_id::text, t.name, t.description, t.role_id,
	t.assignee_id, t.status, t.created, t.completed, t.completed_by, t.completed_by_name, t.decision, t.comment, t.data,
	a.service_id::text, s.key, s.name, COALESCE(a.eform_id::text, ''), a.applicant_id`

const taskFrom = ` FROM tasks t JOIN applications a ON a.file_id = t.file_id JOIN services s ON s.id = a.service_id`

func scanTask(row pgx.Row) (domain.Task, error) {
	var t domain.Task
	var completed *time.Time
	var data []byte
	if err := row.Scan(&t.ID, &t.MainTaskID, &t.FileID, &t.Name, &t.Description, &t.RoleID, &t.AssigneeID, &t.Status,
		&t.Created, &completed, &t.CompletedBy, &t.CompletedByName, &t.Decision, &t.Comment, &data,
		&t.ServiceID, &t.ServiceKey, &t.ServiceName, &t.EFormID, &t.ApplicantID); err != nil {
		return t, err
	}
	if completed != nil {
		t.Completed = *completed
	}
	if err := json.Unmarshal(data, &t.Data); err != nil {
		return t, fmt.Errorf("task %s data: %w", t.ID, err)
	}
	return t, nil
}

// Task returns the task with id; 404 TASK_NOT_FOUND.
func (s *Store) Task(ctx context.Context, id string) (domain.Task, error) {
	return taskByID(ctx, s.pool, id, false)
}

// LockTask returns the task with id, locking the task row (not the file), so concurrent completions of one
// task queue up and the second sees it completed.
func (t *tx) LockTask(ctx context.Context, id string) (domain.Task, error) {
	return taskByID(ctx, t.tx, id, true)
}

func taskByID(ctx context.Context, q querier, id string, forUpdate bool) (domain.Task, error) {
	sql := `SELECT ` + taskCols + taskFrom + ` WHERE t.task_id = $1`
	if forUpdate {
		sql += ` FOR UPDATE OF t`
	}
	t, err := scanTask(q.QueryRow(ctx, sql, id))
	if err != nil {
		return t, esNotFound(err, "TASK_NOT_FOUND", "no task with id "+id)
	}
	return t, nil
}

// SaveTask writes a task's completion (the caller holds its lock).
func (t *tx) SaveTask(ctx context.Context, task domain.Task) error {
	var completed *time.Time
	if !task.Completed.IsZero() {
		completed = &task.Completed
	}
	_, err := t.tx.Exec(ctx, `UPDATE tasks SET status = $2, completed = $3, completed_by = $4, completed_by_name = $5,
		decision = $6, comment = $7 WHERE task_id = $1`, task.ID, task.Status, completed, task.CompletedBy,
		task.CompletedByName, task.Decision, task.Comment)
	return mapErr(err)
}

// ListTasks returns a page of tasks. A main task is its own mainTaskId (the id GET /applications shows), so
// filtering by it finds the main task and the tasks under it. Sorting by "registered" sorts by the file's registration time.
func (s *Store) ListTasks(ctx context.Context, f app.TaskFilter) ([]domain.Task, error) {
	order := "t.created"
	if f.Page.SortBy == "registered" {
		order = "a.registered"
	}
	dir := " DESC"
	if !f.Page.Desc {
		dir = " ASC"
	}
	sql := `SELECT ` + taskCols + taskFrom + `
		WHERE ($1 = '' OR COALESCE(t.main_task_id, t.task_id)::text = $1) AND ($2 = '' OR t.file_id::text = $2)
			AND ($3 = '' OR t.assignee_id = $3) AND ($4 = '' OR a.applicant_id = $4)
		ORDER BY ` + order + dir + `, t.task_id` + dir + `
		OFFSET ` + strconv.Itoa(f.Page.Offset) + ` LIMIT ` + strconv.Itoa(f.Page.Limit)
	rows, err := s.pool.Query(ctx, sql, f.MainTaskID, f.FileID, f.AssigneeID, f.ApplicantID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}
