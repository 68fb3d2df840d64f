package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// InsertTask opens a task (t.ID, FileID, Name, RoleID and Created set by the caller).
func InsertTask(ctx context.Context, q Querier, t domain.Task) error {
	data, err := json.Marshal(jsonObject(t.Data))
	if err != nil {
		return fmt.Errorf("task data: %w", err)
	}
	_, err = q.Exec(ctx, `INSERT INTO tasks (task_id, main_task_id, file_id, name, description, role_id, assignee_id,
		status, created, data) VALUES ($1, NULLIF($2, '')::uuid, $3, $4, $5, $6, $7, 'PENDING', $8, $9)`,
		t.ID, t.MainTaskID, t.FileID, t.Name, t.Description, t.RoleID, t.AssigneeID, t.Created, data)
	return pgstore.MapError(err)
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

// GetTask returns the task with id; 404 TASK_NOT_FOUND. forUpdate locks the task row (not the file), so
// concurrent completions of one task queue up and the second sees it completed.
func GetTask(ctx context.Context, q Querier, id string, forUpdate bool) (domain.Task, error) {
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

// CompleteTask records the decision on a pending task (the caller holds its lock).
func CompleteTask(ctx context.Context, q Querier, t domain.Task) error {
	_, err := q.Exec(ctx, `UPDATE tasks SET status = 'COMPLETED', completed = $2, completed_by = $3, completed_by_name = $4,
		decision = $5, comment = $6 WHERE task_id = $1`, t.ID, t.Completed, t.CompletedBy, t.CompletedByName, t.Decision, t.Comment)
	return pgstore.MapError(err)
}

// TaskFilter selects tasks for a list; empty fields do not filter.
type TaskFilter struct {
	MainTaskID, FileID, AssigneeID string
	// ApplicantID, when set, keeps only tasks on that applicant's files.
	ApplicantID string
	Page        domain.Page
}

// ListTasks returns a page of tasks. A main task is its own mainTaskId (the id GET /applications shows), so
// filtering by it finds the main task and the tasks under it. Sorting by "registered" sorts by the file's registration time.
func ListTasks(ctx context.Context, q Querier, f TaskFilter) ([]domain.Task, error) {
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
	rows, err := q.Query(ctx, sql, f.MainTaskID, f.FileID, f.AssigneeID, f.ApplicantID)
	if err != nil {
		return nil, pgstore.MapError(err)
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
	return out, pgstore.MapError(rows.Err())
}
