package store

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

const registryColumns = `id, name, version, code, description, institution, group_name, catalog_name, schema,
	primary_key, person_id_field, is_draft, is_disabled, is_archived, modified_at, modified_by`

// registryCounted adds the record count, which only the database API shows: the data API looks registries
// up on every call and must not count 100,000 records each time.
const registryCounted = registryColumns + `, (SELECT count(*) FROM record r WHERE r.registry_id = g.id)::int`

func scanRegistry(row pgx.Row, counted bool) (domain.Registry, error) {
	var r domain.Registry
	dest := []any{&r.ID, &r.Name, &r.Version, &r.Code, &r.Description, &r.Institution, &r.GroupName,
		&r.CatalogName, &r.Schema, &r.PrimaryKey, &r.PersonIDField, &r.IsDraft, &r.IsDisabled, &r.IsArchived,
		&r.ModifiedAt, &r.ModifiedBy}
	if counted {
		dest = append(dest, &r.RecordCount)
	}
	err := row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, domain.ErrRegistryNotFound()
	}
	return r, pgstore.MapError(err)
}

// RegistryByName returns the registry version the data API addresses as /data/{name}/{version}.
func (s *Store) RegistryByName(ctx context.Context, name, version string) (domain.Registry, error) {
	return scanRegistry(s.pool.QueryRow(ctx,
		`SELECT `+registryColumns+` FROM registry g WHERE name = $1 AND version = $2`, name, version), false)
}

// RegistryByID returns a registry version with its record count.
func (s *Store) RegistryByID(ctx context.Context, id int32) (domain.Registry, error) {
	return scanRegistry(s.pool.QueryRow(ctx, `SELECT `+registryCounted+` FROM registry g WHERE id = $1`, id), true)
}

// ListRegistries returns every registry version with its record count, by group, name and version.
func (s *Store) ListRegistries(ctx context.Context) ([]domain.Registry, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+registryCounted+` FROM registry g ORDER BY group_name, name, version`)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	defer rows.Close()
	var out []domain.Registry
	for rows.Next() {
		r, err := scanRegistry(rows, true)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, pgstore.MapError(rows.Err())
}

// DeleteRegistry removes a registry version; its records go with it (ON DELETE CASCADE).
func (s *Store) DeleteRegistry(ctx context.Context, id int32) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM registry WHERE id = $1`, id)
	if err != nil {
		return pgstore.MapError(err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrRegistryNotFound()
	}
	return nil
}

// SaveRegistry creates r (same name and version not yet stored) or replaces the stored version's schema and
// metadata. On replace, verify sees the old registry and every stored record, under a row lock so no record
// is written meanwhile; its first error aborts the replace. created tells which of the two happened.
func (s *Store) SaveRegistry(ctx context.Context, r domain.Registry,
	verify func(old domain.Registry, rec domain.Record) error) (saved domain.Registry, created bool, err error) {
	err = pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var id int32
		err := tx.QueryRow(ctx, `INSERT INTO registry (name, version, code, description, institution, group_name,
				catalog_name, schema, primary_key, person_id_field, modified_at, modified_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (name, version) DO NOTHING RETURNING id`,
			r.Name, r.Version, r.Code, r.Description, r.Institution, r.GroupName, r.CatalogName, r.Schema,
			r.PrimaryKey, r.PersonIDField, r.ModifiedAt, r.ModifiedBy).Scan(&id)
		switch {
		case err == nil:
			created = true
		case errors.Is(err, pgx.ErrNoRows):
			if id, err = replaceRegistry(ctx, tx, r, verify); err != nil {
				return err
			}
		default:
			return err
		}
		saved, err = scanRegistry(tx.QueryRow(ctx, `SELECT `+registryCounted+` FROM registry g WHERE id = $1`, id), true)
		return err
	})
	return saved, created, pgstore.MapError(err)
}

func replaceRegistry(ctx context.Context, tx pgx.Tx, r domain.Registry,
	verify func(old domain.Registry, rec domain.Record) error) (int32, error) {
	old, err := scanRegistry(tx.QueryRow(ctx,
		`SELECT `+registryColumns+` FROM registry g WHERE name = $1 AND version = $2 FOR UPDATE`, r.Name, r.Version), false)
	if err != nil {
		return 0, err
	}
	if err := eachRecord(ctx, tx, old.ID, func(rec domain.Record) error { return verify(old, rec) }); err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE registry SET code = $2, description = $3, institution = $4, group_name = $5,
			catalog_name = $6, schema = $7, primary_key = $8, person_id_field = $9, modified_at = $10, modified_by = $11
		WHERE id = $1`, old.ID, r.Code, r.Description, r.Institution, r.GroupName, r.CatalogName, r.Schema,
		r.PrimaryKey, r.PersonIDField, r.ModifiedAt, r.ModifiedBy)
	if err != nil {
		return 0, err
	}
	// The person id field may have changed: recompute the column the usage log relies on.
	_, err = tx.Exec(ctx, `UPDATE record SET person_id = CASE WHEN $2 = '' THEN NULL ELSE content ->> $2 END
		WHERE registry_id = $1`, old.ID, r.PersonIDField)
	return old.ID, err
}

// eachRecord streams a registry's records, so replacing the schema of a large registry does not load it whole.
func eachRecord(ctx context.Context, q querier, registryID int32, fn func(domain.Record) error) error {
	rows, err := q.Query(ctx, `SELECT `+recordColumns+` FROM record WHERE registry_id = $1 ORDER BY record_id`, registryID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}
