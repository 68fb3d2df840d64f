package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AddApplication stores a new application file (a.FileID set by the caller).
func (t *tx) AddApplication(ctx context.Context, a domain.Application) error {
	data, err := json.Marshal(jsonObject(a.Data))
	if err != nil {
		return fmt.Errorf("application form data: %w", err)
	}
	urls := a.DocumentURLs
	if urls == nil {
		urls = []string{}
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO applications (file_id, service_id, applicant_id, application_name, form_data,
		eform_id, document_urls, status, ended, created, registered, updated)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::uuid, $7, $8, $9, $10, $11, $12)`,
		a.FileID, a.ServiceID, a.ApplicantID, a.Name, data, a.EFormID, urls, a.Status, a.Ended, a.Created,
		a.Registered, a.Updated)
	return mapErr(err)
}

const applicationCols = `a.file_id::text, a.service_id::text, s.key, s.name, a.applicant_id, a.application_name,
	a.form_data, COALESCE(a.eform_id::text, ''), a.document_urls, a.status, a.ended, a.created, a.registered, a.updated`

func scanApplication(row pgx.Row, extra ...any) (domain.Application, error) {
	var a domain.Application
	var data []byte
	dest := append([]any{&a.FileID, &a.ServiceID, &a.ServiceKey, &a.ServiceName, &a.ApplicantID, &a.Name, &data,
		&a.EFormID, &a.DocumentURLs, &a.Status, &a.Ended, &a.Created, &a.Registered, &a.Updated}, extra...)
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	if err := json.Unmarshal(data, &a.Data); err != nil {
		return a, fmt.Errorf("application %s form data: %w", a.FileID, err)
	}
	return a, nil
}

// Application returns the file with id; 404 APPLICATION_NOT_FOUND.
func (s *Store) Application(ctx context.Context, id string) (domain.Application, error) {
	return applicationByID(ctx, s.pool, id, false)
}

// LockApplication returns the file with id FOR UPDATE.
func (t *tx) LockApplication(ctx context.Context, id string) (domain.Application, error) {
	return applicationByID(ctx, t.tx, id, true)
}

func applicationByID(ctx context.Context, q querier, id string, forUpdate bool) (domain.Application, error) {
	sql := `SELECT ` + applicationCols + ` FROM applications a JOIN services s ON s.id = a.service_id WHERE a.file_id = $1`
	if forUpdate {
		sql += ` FOR UPDATE OF a`
	}
	a, err := scanApplication(q.QueryRow(ctx, sql, id))
	if err != nil {
		return a, esNotFound(err, "APPLICATION_NOT_FOUND", "no application file with id "+id)
	}
	return a, nil
}

// SaveApplication writes what a file's transitions change: name, form data, documents and status.
func (t *tx) SaveApplication(ctx context.Context, a domain.Application) error {
	data, err := json.Marshal(jsonObject(a.Data))
	if err != nil {
		return fmt.Errorf("application form data: %w", err)
	}
	tag, err := t.tx.Exec(ctx, `UPDATE applications SET application_name = $2, form_data = $3, document_urls = $4,
		status = $5, ended = $6, updated = $7 WHERE file_id = $1`,
		a.FileID, a.Name, data, orEmpty(a.DocumentURLs), a.Status, a.Ended, a.Updated)
	if err != nil {
		return mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return esNotFound(pgx.ErrNoRows, "APPLICATION_NOT_FOUND", "no application file with id "+a.FileID)
	}
	return nil
}

// ListApplications returns a page of files, each with its open task (or its latest when none is open).
func (s *Store) ListApplications(ctx context.Context, f app.ApplicationFilter) ([]domain.ApplicationItem, error) {
	order := "a.created"
	if f.Page.SortBy == "registered" {
		order = "a.registered"
	}
	dir := " DESC"
	if !f.Page.Desc {
		dir = " ASC"
	}
	sql := `SELECT ` + applicationCols + `, COALESCE(t.task_id::text, ''), COALESCE(t.name, ''), COALESCE(t.role_id, ''),
			COALESCE(t.assignee_id, ''), COALESCE(t.completed_by_name, ''), COALESCE(t.status, '')
		FROM applications a JOIN services s ON s.id = a.service_id
		LEFT JOIN LATERAL (SELECT * FROM tasks WHERE tasks.file_id = a.file_id
			ORDER BY (tasks.status = 'PENDING') DESC, tasks.created DESC, tasks.task_id LIMIT 1) t ON true
		WHERE ($1 = '' OR a.service_id::text = $1) AND ($2 = '' OR a.applicant_id = $2)
		ORDER BY ` + order + dir + `, a.file_id` + dir + `
		OFFSET ` + strconv.Itoa(f.Page.Offset) + ` LIMIT ` + strconv.Itoa(f.Page.Limit)
	rows, err := s.pool.Query(ctx, sql, f.ServiceID, f.ApplicantID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.ApplicationItem
	for rows.Next() {
		var it domain.ApplicationItem
		t := &it.Task
		file, err := scanApplication(rows, &t.ID, &t.Name, &t.RoleID, &t.AssigneeID, &t.CompletedByName, &t.Status)
		if err != nil {
			return nil, err
		}
		it.Application = file
		out = append(out, it)
	}
	return out, mapErr(rows.Err())
}

func jsonObject(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
