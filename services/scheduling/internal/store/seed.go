package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// SeedEntity stores an entity unless one with its id exists (seeding never overwrites live data).
func SeedEntity(ctx context.Context, q Querier, e domain.Entity) error {
	_, err := q.Exec(ctx, `INSERT INTO entity (id, name, category, city, time_zone, email, phone, website)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
		e.ID, e.Name, e.Category, e.City, e.TimeZone, e.Email, e.Phone, e.Website)
	return mapError(err)
}

// SeedAffiliation stores a resource, its affiliation and working hours unless they exist.
func SeedAffiliation(ctx context.Context, tx pgx.Tx, a domain.Affiliation) error {
	r := a.Resource
	if _, err := tx.Exec(ctx, `INSERT INTO resource (id, name, category, specialty, email, phone, slot_minutes)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
		r.ID, r.Name, r.Category, r.Specialty, r.Email, r.Phone, r.SlotMinutes); err != nil {
		return mapError(err)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO affiliation (id, resource_id, entity_id, category) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING`, a.ID, r.ID, a.Entity.ID, r.Category)
	if err != nil || tag.RowsAffected() == 0 {
		return mapError(err) // existing affiliation: keep its hours as they are
	}
	for _, h := range a.Hours {
		if _, err := tx.Exec(ctx, `INSERT INTO working_hours (affiliation_id, weekday, start_minute, end_minute)
VALUES ($1, $2, $3, $4)`, a.ID, int(h.Weekday), h.StartMinute, h.EndMinute); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// InsertException stores a leave or holiday period of a resource.
func InsertException(ctx context.Context, q Querier, id, resourceID string, iv domain.Interval, reason string) error {
	_, err := q.Exec(ctx, `INSERT INTO resource_exception (id, resource_id, during, reason) VALUES ($1, $2, tstzrange($3, $4, '[)'), $5)`,
		id, resourceID, iv.Start, iv.End, reason)
	return mapError(err)
}

// DeleteException removes a leave or holiday period.
func DeleteException(ctx context.Context, q Querier, id string) error {
	tag, err := q.Exec(ctx, `DELETE FROM resource_exception WHERE id = $1`, id)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), "exception "+id)
}
