package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// SeedRegistry stores r and recs unless they exist already (by name/version and by primary key), without
// events: demo data is not news. Running it twice changes nothing.
//
// A registry that an earlier seed created and nobody has modified since (modified_by is still r.ModifiedBy)
// gets r's current definition when it differs, so a newer release's seed upgrades its own demo schema (e.g.
// fields added to citizens); modified_at moves, which also refreshes the compiled-schema caches. A registry
// changed through the API is left alone: the operator's definition wins over the demo's.
func (s *Store) SeedRegistry(ctx context.Context, r domain.Registry, recs []domain.Record) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO registry (name, version, code, description, institution, group_name,
				catalog_name, schema, primary_key, person_id_field, modified_at, modified_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (name, version) DO UPDATE SET code = EXCLUDED.code, description = EXCLUDED.description,
				institution = EXCLUDED.institution, group_name = EXCLUDED.group_name,
				catalog_name = EXCLUDED.catalog_name, schema = EXCLUDED.schema, modified_at = EXCLUDED.modified_at
			WHERE registry.modified_by = EXCLUDED.modified_by
				AND registry.primary_key = EXCLUDED.primary_key AND registry.person_id_field = EXCLUDED.person_id_field
				AND (registry.schema, registry.code, registry.description, registry.institution, registry.group_name,
					registry.catalog_name) IS DISTINCT FROM (EXCLUDED.schema, EXCLUDED.code, EXCLUDED.description,
					EXCLUDED.institution, EXCLUDED.group_name, EXCLUDED.catalog_name)`,
			r.Name, r.Version, r.Code, r.Description, r.Institution, r.GroupName, r.CatalogName, r.Schema,
			r.PrimaryKey, r.PersonIDField, r.ModifiedAt, r.ModifiedBy)
		if err != nil {
			return err
		}
		var id int32
		if err := tx.QueryRow(ctx, `SELECT id FROM registry WHERE name = $1 AND version = $2`,
			r.Name, r.Version).Scan(&id); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for _, rec := range recs {
			batch.Queue(`INSERT INTO record (registry_id, record_id, content, person_id)
				VALUES ($1, $2, $3, NULLIF($4, '')) ON CONFLICT (registry_id, record_id) DO NOTHING`,
				id, rec.ID, rec.Content, rec.PersonID)
		}
		return tx.SendBatch(ctx, batch).Close()
	})
	return pgstore.MapError(err)
}
