package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Records are kept in govstack_record as their JSON (details) plus the columns their lists filter by.

// InsertRecord stores a new record; an existing id is AlreadyExists.
func (r queries) InsertRecord(ctx context.Context, rec domain.Record, idx domain.RecordIndex) error {
	details, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = r.q.Exec(ctx, `INSERT INTO govstack_record (kind, id, entity_id, category, name, at, details)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, string(rec.RecordKind()), rec.RecordID(), idx.EntityID, idx.Category, idx.Name, idx.At, details)
	return mapError(err)
}

// UpdateRecord replaces a record's details and filter columns.
func (r queries) UpdateRecord(ctx context.Context, rec domain.Record, idx domain.RecordIndex) error {
	details, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = r.q.Exec(ctx, `UPDATE govstack_record SET entity_id = $3, category = $4, name = $5, at = $6, details = $7
WHERE kind = $1 AND id = $2`, string(rec.RecordKind()), rec.RecordID(), idx.EntityID, idx.Category, idx.Name, idx.At, details)
	return mapError(err)
}

// LockRecord reads a record for update.
func (r queries) LockRecord(ctx context.Context, kind domain.RecordKind, id string) (domain.Record, error) {
	var details []byte
	err := r.q.QueryRow(ctx, `SELECT details FROM govstack_record WHERE kind = $1 AND id = $2 FOR UPDATE`, string(kind), id).Scan(&details)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apierr.NotFound(domain.ReasonNotFound, string(kind)+" "+id+" not found")
	}
	if err != nil {
		return nil, mapError(err)
	}
	return decodeRecord(kind, details)
}

// DeleteRecord deletes a record; a missing one is NotFound.
func (r queries) DeleteRecord(ctx context.Context, kind domain.RecordKind, id string) error {
	tag, err := r.q.Exec(ctx, `DELETE FROM govstack_record WHERE kind = $1 AND id = $2`, string(kind), id)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), string(kind)+" "+id)
}

// Records lists matching records of kind, by at then id, at most 500.
func (r queries) Records(ctx context.Context, kind domain.RecordKind, f app.RecordFilter) ([]domain.Record, error) {
	rows, err := r.q.Query(ctx, `SELECT details FROM govstack_record
WHERE kind = $1 AND (coalesce(cardinality($2::text[]), 0) = 0 OR id = ANY($2)) AND ($3 = '' OR entity_id = $3)
  AND ($4 = '' OR lower(category) = lower($4)) AND ($5 = '' OR name ILIKE '%' || $5 || '%')
  AND ($6::timestamptz IS NULL OR at >= $6) AND ($7::timestamptz IS NULL OR at < $7)
ORDER BY at NULLS LAST, id LIMIT 500`, string(kind), f.IDs, f.EntityID, f.Category, f.Name, f.From, f.To)
	if err != nil {
		return nil, mapError(err)
	}
	raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, mapError(err)
	}
	out := make([]domain.Record, 0, len(raws))
	for _, raw := range raws {
		rec, err := decodeRecord(kind, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// decodeRecord reads the stored JSON of a record of kind into its domain type.
func decodeRecord(kind domain.RecordKind, details []byte) (domain.Record, error) {
	switch kind {
	case domain.KindEvent:
		return decodeAs[domain.HostedEvent](details)
	case domain.KindMessage:
		return decodeAs[domain.Message](details)
	case domain.KindAlertSchedule:
		return decodeAs[domain.AlertSchedule](details)
	case domain.KindLog:
		return decodeAs[domain.LogEntry](details)
	}
	return nil, fmt.Errorf("store: no record kind %q", kind)
}

func decodeAs[R domain.Record](details []byte) (domain.Record, error) {
	var rec R
	if err := json.Unmarshal(details, &rec); err != nil {
		return nil, fmt.Errorf("store: stored %s: %w", rec.RecordKind(), err)
	}
	return rec, nil
}
