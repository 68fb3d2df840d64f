package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// SeedRegistry stores r and recs unless they exist already (by name/version and by primary key), without
// events: demo data is not news. Running it twice changes nothing.
func (s *Store) SeedRegistry(ctx context.Context, r domain.Registry, recs []domain.Record) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO registry (name, version, code, description, institution, group_name,
				catalog_name, schema, primary_key, person_id_field, modified_at, modified_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (name, version) DO NOTHING`,
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
