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
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

const instanceColumns = `id::text, definition_id, process_key, version, state, suspended, coalesce(business_key, ''),
coalesce(idempotency_key, ''), coalesce(parent_id::text, ''), started_by, error_code, doc, rev, open_incidents, started_at,
updated_at, ended_at`

func scanInstance(row pgx.CollectableRow) (domain.Instance, error) {
	var i domain.Instance
	var state string
	var doc []byte
	if err := row.Scan(&i.ID, &i.DefinitionID, &i.ProcessKey, &i.Version, &state, &i.Suspended, &i.BusinessKey,
		&i.IdempotencyKey, &i.ParentID, &i.StartedBy, &i.ErrorCode, &doc, &i.Rev, &i.OpenIncidents, &i.StartedAt,
		&i.UpdatedAt, &i.EndedAt); err != nil {
		return i, err
	}
	i.State = domain.InstanceState(state)
	i.Doc = &engine.State{}
	return i, json.Unmarshal(doc, i.Doc)
}

func (r queries) oneInstance(ctx context.Context, sql string, args ...any) (domain.Instance, error) {
	rows, err := r.q.Query(ctx, sql, args...)
	if err != nil {
		return domain.Instance{}, pgstore.MapError(err)
	}
	i, err := pgx.CollectExactlyOneRow(rows, scanInstance)
	return i, notFound(err, domain.ReasonInstanceNotFound, "instance")
}

// Instance reads an instance.
func (r queries) Instance(ctx context.Context, id string) (domain.Instance, error) {
	if !isUUID(id) {
		return domain.Instance{}, notFound(pgx.ErrNoRows, domain.ReasonInstanceNotFound, "instance")
	}
	return r.oneInstance(ctx, `SELECT `+instanceColumns+` FROM instance WHERE id = $1`, id)
}

// LockInstance reads an instance and locks its row until the transaction ends.
func (r queries) LockInstance(ctx context.Context, id string) (domain.Instance, error) {
	if !isUUID(id) {
		return domain.Instance{}, notFound(pgx.ErrNoRows, domain.ReasonInstanceNotFound, "instance")
	}
	return r.oneInstance(ctx, `SELECT `+instanceColumns+` FROM instance WHERE id = $1 FOR UPDATE`, id)
}

// InstancesByID reads the instances with the given ids.
func (r queries) InstancesByID(ctx context.Context, ids []string) (map[string]domain.Instance, error) {
	rows, err := r.q.Query(ctx, `SELECT `+instanceColumns+` FROM instance WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	list, err := pgx.CollectRows(rows, scanInstance)
	out := make(map[string]domain.Instance, len(list))
	for _, i := range list {
		out[i.ID] = i
	}
	return out, pgstore.MapError(err)
}

// FindStarted finds an instance of key started with the idempotency key, or active with the business key.
func (r queries) FindStarted(ctx context.Context, key, idempotencyKey, businessKey string) (domain.Instance, bool, error) {
	if idempotencyKey == "" && businessKey == "" {
		return domain.Instance{}, false, nil
	}
	rows, err := r.q.Query(ctx, `SELECT `+instanceColumns+` FROM instance WHERE process_key = $1 AND
((idempotency_key = $2 AND $2 <> '') OR (business_key = $3 AND $3 <> '' AND ended_at IS NULL)) LIMIT 1`, key, idempotencyKey, businessKey)
	if err != nil {
		return domain.Instance{}, false, pgstore.MapError(err)
	}
	found, err := pgx.CollectRows(rows, scanInstance)
	if err != nil || len(found) == 0 {
		return domain.Instance{}, false, pgstore.MapError(err)
	}
	return found[0], true, nil
}

// Instances lists instances, newest first.
func (r queries) Instances(ctx context.Context, f app.InstanceFilter) ([]domain.Instance, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ProcessKey != "" {
		add("process_key = $%d", f.ProcessKey)
	}
	if f.DefinitionID != "" {
		add("definition_id = $%d", f.DefinitionID)
	}
	switch f.State {
	case "":
	case domain.StateSuspended:
		where = append(where, "suspended AND state = 'running'")
	case domain.StateRunning:
		where = append(where, "NOT suspended AND state = 'running'")
	default:
		add("state = $%d", string(f.State))
	}
	if f.BusinessKey != "" {
		add("business_key = $%d", f.BusinessKey)
	}
	sql := `SELECT ` + instanceColumns + ` FROM instance`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	rows, err := r.q.Query(ctx, sql+fmt.Sprintf(" ORDER BY started_at DESC, id LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, scanInstance)
	return out, pgstore.MapError(err)
}

// SetSuspended flags the instance's jobs and timers; resuming frees their leases so they are claimed again.
func (r queries) SetSuspended(ctx context.Context, instanceID string, suspended bool) error {
	if _, err := r.q.Exec(ctx, `UPDATE job SET suspended = $2 WHERE instance_id = $1`, instanceID, suspended); err != nil {
		return pgstore.MapError(err)
	}
	sql := `UPDATE timer SET suspended = $2 WHERE instance_id = $1`
	if !suspended {
		sql = `UPDATE timer SET suspended = $2, fire_at = due_at, owner = NULL, lease_until = NULL WHERE instance_id = $1`
	}
	if _, err := r.q.Exec(ctx, sql, instanceID, suspended); err != nil || suspended {
		return pgstore.MapError(err)
	}
	// What other instances asked of this one while it was suspended waited with a growing backoff: now.
	_, err := r.q.Exec(ctx, `UPDATE signal SET fire_at = now(), owner = NULL, lease_until = NULL WHERE instance_id = $1`, instanceID)
	return pgstore.MapError(err)
}

// isUUID reports whether s can be an instance id (anything else cannot exist, and Postgres would refuse
// to compare it with a uuid column).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'):
		default:
			return false
		}
	}
	return true
}
