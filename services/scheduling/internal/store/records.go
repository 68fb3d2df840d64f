package store

import (
	"context"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Record is one GovStack event, message, alert_schedule or log: its JSON details and filter columns.
type Record struct {
	Kind, ID, EntityID, Category, Name string
	At                                 *time.Time
	Details                            []byte
}

// InsertRecord stores a new record; an existing id is AlreadyExists.
func InsertRecord(ctx context.Context, q Querier, r Record) error {
	_, err := q.Exec(ctx, `INSERT INTO govstack_record (kind, id, entity_id, category, name, at, details)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.Kind, r.ID, r.EntityID, r.Category, r.Name, r.At, r.Details)
	return mapError(err)
}

// UpdateRecord replaces a record's details and filter columns.
func UpdateRecord(ctx context.Context, q Querier, r Record) error {
	_, err := q.Exec(ctx, `UPDATE govstack_record SET entity_id = $3, category = $4, name = $5, at = $6, details = $7
WHERE kind = $1 AND id = $2`, r.Kind, r.ID, r.EntityID, r.Category, r.Name, r.At, r.Details)
	return mapError(err)
}

// LockRecord reads a record's details for update.
func LockRecord(ctx context.Context, q Querier, kind, id string) ([]byte, error) {
	var details []byte
	err := q.QueryRow(ctx, `SELECT details FROM govstack_record WHERE kind = $1 AND id = $2 FOR UPDATE`, kind, id).Scan(&details)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apierr.NotFound(domain.ReasonNotFound, kind+" "+id+" not found")
	}
	return details, mapError(err)
}

// DeleteRecord deletes a record; a missing one is NotFound.
func DeleteRecord(ctx context.Context, q Querier, kind, id string) error {
	tag, err := q.Exec(ctx, `DELETE FROM govstack_record WHERE kind = $1 AND id = $2`, kind, id)
	if err == nil && tag.RowsAffected() == 0 {
		return apierr.NotFound(domain.ReasonNotFound, kind+" "+id+" not found")
	}
	return mapError(err)
}

// RecordFilter picks records of one kind; empty fields match all.
type RecordFilter struct {
	Kind                     string
	IDs                      []string
	EntityID, Category, Name string
	From, To                 *time.Time
}

// Records lists matching records' details, by at then id, at most 500.
func Records(ctx context.Context, q Querier, f RecordFilter) ([][]byte, error) {
	rows, err := q.Query(ctx, `SELECT details FROM govstack_record
WHERE kind = $1 AND (coalesce(cardinality($2::text[]), 0) = 0 OR id = ANY($2)) AND ($3 = '' OR entity_id = $3)
  AND ($4 = '' OR lower(category) = lower($4)) AND ($5 = '' OR name ILIKE '%' || $5 || '%')
  AND ($6::timestamptz IS NULL OR at >= $6) AND ($7::timestamptz IS NULL OR at < $7)
ORDER BY at NULLS LAST, id LIMIT 500`, f.Kind, f.IDs, f.EntityID, f.Category, f.Name, f.From, f.To)
	if err != nil {
		return nil, mapError(err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[[]byte])
}

// CancelTimersFor cancels the pending timers of kind with reference (an event's deadline, an alert).
func CancelTimersFor(ctx context.Context, q Querier, kind domain.TimerKind, subject, reference string) error {
	_, err := q.Exec(ctx, `UPDATE timer SET cancelled_at = now() WHERE kind = $1 AND subject = $2 AND reference = $3
AND fired_at IS NULL AND cancelled_at IS NULL`, string(kind), subject, reference)
	return mapError(err)
}
