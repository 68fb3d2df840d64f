package store

import (
	"context"
	"errors"
	"slices"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
	"github.com/govstackbb/marketplace/services/registries/internal/events"
)

const recordColumns = `record_id, content, coalesce(person_id, ''), created_at, updated_at`

// defaultOrder is the order of records everywhere a caller did not choose one: oldest first.
const defaultOrder = ` ORDER BY created_at, record_id`

func scanRecord(row pgx.Row) (domain.Record, error) {
	var r domain.Record
	err := row.Scan(&r.ID, &r.Content, &r.PersonID, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, domain.ErrRecordNotFound()
	}
	return r, err
}

func collectRecords(rows pgx.Rows, err error) ([]domain.Record, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Record
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// mapWriteError names the record in a unique violation: the generic "already exists" would not tell the
// caller it was the primary key.
func mapWriteError(err error) error {
	err = pgstore.MapError(err)
	if apierr.KindOf(err) == apierr.KindAlreadyExists {
		return apierr.Wrap(apierr.KindAlreadyExists, domain.ReasonRecordExists,
			"a record with this primary key already exists", err)
	}
	return err
}

// InsertRecord stores a new record and its events in one transaction.
func (s *Store) InsertRecord(ctx context.Context, registryID int32, rec domain.Record, changes ...domain.RecordChanged) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := insertRecord(ctx, tx, registryID, rec); err != nil {
			return err
		}
		return outbox.AddEncoded(ctx, tx, events.Encode, changes...)
	})
	return mapWriteError(err)
}

func insertRecord(ctx context.Context, q querier, registryID int32, rec domain.Record) error {
	_, err := q.Exec(ctx, `INSERT INTO record (registry_id, record_id, content, person_id)
		VALUES ($1, $2, $3, NULLIF($4, ''))`, registryID, rec.ID, rec.Content, rec.PersonID)
	return err
}

// updateRecord writes rec over the stored record; a changed primary key renames it (the unique key refuses
// a key another record holds: a conflict, 409).
func updateRecord(ctx context.Context, q querier, registryID int32, rec domain.Record) error {
	stored := rec.ID
	if rec.PreviousID != "" {
		stored = rec.PreviousID
	}
	_, err := q.Exec(ctx, `UPDATE record SET record_id = $5, content = $3, person_id = NULLIF($4, ''), updated_at = now()
		WHERE registry_id = $1 AND record_id = $2`, registryID, stored, rec.Content, rec.PersonID, rec.ID)
	return err
}

// RecordByID returns the record with primary key id.
func (s *Store) RecordByID(ctx context.Context, registryID int32, id string) (domain.Record, error) {
	rec, err := scanRecord(s.pool.QueryRow(ctx,
		`SELECT `+recordColumns+` FROM record WHERE registry_id = $1 AND record_id = $2`, registryID, id))
	return rec, pgstore.MapError(err)
}

// selectSQL is the query of the records sel picks, oldest first, at most $3 of them.
func selectSQL(sel domain.Selector, registryID int32, limit int) (string, []any) {
	sql := `SELECT ` + recordColumns + ` FROM record WHERE registry_id = $1 AND content @> $2`
	args := []any{registryID, sel.Match, limit}
	if sel.Key != "" {
		sql += ` AND record_id = $4`
		args = append(args, sel.Key)
	}
	return sql + defaultOrder + ` LIMIT $3`, args
}

// FindRecords returns at most limit records sel picks, oldest first.
func (s *Store) FindRecords(ctx context.Context, registryID int32, sel domain.Selector, limit int) ([]domain.Record, error) {
	sql, args := selectSQL(sel, registryID, limit)
	recs, err := collectRecords(s.pool.Query(ctx, sql, args...))
	return recs, pgstore.MapError(err)
}

// MutateRecords locks the records sel picks (at most limit) and hands them to fn, which returns the
// records to write — those it was given are updated, others inserted — and the events to publish with them.
// Everything commits in one transaction or not at all.
func (s *Store) MutateRecords(ctx context.Context, registryID int32, sel domain.Selector, limit int,
	fn func(found []domain.Record) ([]domain.Record, []domain.RecordChanged, error)) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		sql, args := selectSQL(sel, registryID, limit)
		found, err := collectRecords(tx.Query(ctx, sql+` FOR UPDATE`, args...))
		if err != nil {
			return err
		}
		writes, changes, err := fn(found)
		if err != nil {
			return err
		}
		if err := writeRecords(ctx, tx, registryID, found, writes); err != nil {
			return err
		}
		return outbox.AddEncoded(ctx, tx, events.Encode, changes...)
	})
	return mapWriteError(err)
}

func writeRecords(ctx context.Context, tx pgx.Tx, registryID int32, found, writes []domain.Record) error {
	for _, rec := range writes {
		write := insertRecord
		stored := rec.ID
		if rec.PreviousID != "" {
			stored = rec.PreviousID
		}
		if slices.ContainsFunc(found, func(f domain.Record) bool { return f.ID == stored }) {
			write = updateRecord
		}
		if err := write(ctx, tx, registryID, rec); err != nil {
			return err
		}
	}
	return nil
}

// DeleteRecord removes the record with primary key id and stores its events, in one transaction.
func (s *Store) DeleteRecord(ctx context.Context, registryID int32, id string, changes ...domain.RecordChanged) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM record WHERE registry_id = $1 AND record_id = $2`, registryID, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return domain.ErrRecordNotFound()
		}
		return outbox.AddEncoded(ctx, tx, events.Encode, changes...)
	})
	return pgstore.MapError(err)
}
