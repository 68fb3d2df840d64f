package store

import (
	"context"
	"fmt"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Seed stores entities and affiliations (with their resources and working hours) unless they exist, in one
// transaction: seeding never overwrites live data.
func (s *Store) Seed(ctx context.Context, entities []domain.Entity, affiliations []domain.Affiliation) error {
	return s.inTx(ctx, func(r queries) error {
		for _, e := range entities {
			if err := r.seedEntity(ctx, e); err != nil {
				return fmt.Errorf("scheduling: seed %s: %w", e.ID, mapError(err))
			}
		}
		for _, a := range affiliations {
			if err := r.seedAffiliation(ctx, a); err != nil {
				return fmt.Errorf("scheduling: seed %s: %w", a.ID, mapError(err))
			}
		}
		return nil
	})
}

func (r queries) seedEntity(ctx context.Context, e domain.Entity) error {
	_, err := r.q.Exec(ctx, `INSERT INTO entity (`+entityColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO NOTHING`, e.ID, e.Name, e.Category, e.City, e.TimeZone, e.Email, e.Phone, e.Website)
	return err
}

func (r queries) seedAffiliation(ctx context.Context, a domain.Affiliation) error {
	res := a.Resource
	if _, err := r.q.Exec(ctx, `INSERT INTO resource (`+resourceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO NOTHING`, res.ID, res.Name, res.Category, res.Specialty, res.Email, res.Phone, res.SlotMinutes); err != nil {
		return err
	}
	tag, err := r.q.Exec(ctx, `INSERT INTO affiliation (id, resource_id, entity_id, category) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING`, a.ID, res.ID, a.Entity.ID, res.Category)
	if err != nil || tag.RowsAffected() == 0 {
		return err // an existing affiliation keeps its hours as they are
	}
	return r.replaceHours(ctx, a.ID, a.Hours)
}
