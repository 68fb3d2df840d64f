package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// InsertUsages logs reads of personal data, all rows in one round trip.
func (s *Store) InsertUsages(ctx context.Context, usages []domain.Usage) error {
	if len(usages) == 0 {
		return nil
	}
	batch := &pgx.Batch{}
	for _, u := range usages {
		batch.Queue(`INSERT INTO personal_data_usage (id, registry_id, registry_name, registry_version, person_id,
				reader_id, reader_member, reader_subsystem, operation, record_ids, read_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			u.ID, u.RegistryID, u.RegistryName, u.RegistryVersion, u.PersonID,
			u.Reader.ID, u.Reader.Member, u.Reader.Subsystem, u.Operation, u.RecordIDs, u.ReadAt)
	}
	return pgstore.MapError(s.pool.SendBatch(ctx, batch).Close())
}

// ListUsages returns the logged reads of person's records in registry name (every version when version is
// empty), newest first.
func (s *Store) ListUsages(ctx context.Context, personID, name, version string) ([]domain.Usage, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text, registry_id, registry_name, registry_version, person_id,
			reader_id, reader_member, reader_subsystem, operation, record_ids, read_at
		FROM personal_data_usage
		WHERE person_id = $1 AND ($3 = '' OR registry_version = $3)
		  AND (registry_name = $2 OR registry_id IN (SELECT id FROM registry WHERE upper(code) = upper($2)))
		ORDER BY read_at DESC, id`, personID, name, version)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	defer rows.Close()
	var out []domain.Usage
	for rows.Next() {
		var u domain.Usage
		if err := rows.Scan(&u.ID, &u.RegistryID, &u.RegistryName, &u.RegistryVersion, &u.PersonID, &u.Reader.ID,
			&u.Reader.Member, &u.Reader.Subsystem, &u.Operation, &u.RecordIDs, &u.ReadAt); err != nil {
			return nil, pgstore.MapError(err)
		}
		out = append(out, u)
	}
	return out, pgstore.MapError(rows.Err())
}
