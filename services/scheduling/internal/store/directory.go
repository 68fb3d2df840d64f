package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

const affiliationSelect = `
SELECT a.id, r.id, r.name, r.category, r.specialty, r.email, r.phone, r.slot_minutes,
       e.id, e.name, e.category, e.city, e.time_zone, e.email, e.phone, e.website,
       coalesce((SELECT array_agg(array[w.weekday, w.start_minute, w.end_minute] ORDER BY w.weekday, w.start_minute)
                 FROM working_hours w WHERE w.affiliation_id = a.id), '{}')
FROM affiliation a JOIN resource r ON r.id = a.resource_id JOIN entity e ON e.id = a.entity_id
WHERE ($1 = '' OR r.id = $1) AND ($2 = '' OR e.id = $2) AND ($3 = '' OR lower(r.specialty) = lower($3))
ORDER BY r.id, e.id`

// Affiliations returns the matching affiliations with their resource, entity and working hours.
func (r queries) Affiliations(ctx context.Context, f app.AffiliationFilter) ([]domain.Affiliation, error) {
	rows, err := r.q.Query(ctx, affiliationSelect, f.ResourceID, f.EntityID, f.Specialty)
	if err != nil {
		return nil, mapError(err)
	}
	affs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Affiliation, error) {
		var a domain.Affiliation
		var hours [][]int32
		res, e := &a.Resource, &a.Entity
		err := row.Scan(&a.ID, &res.ID, &res.Name, &res.Category, &res.Specialty, &res.Email, &res.Phone, &res.SlotMinutes,
			&e.ID, &e.Name, &e.Category, &e.City, &e.TimeZone, &e.Email, &e.Phone, &e.Website, &hours)
		for _, h := range hours {
			a.Hours = append(a.Hours, domain.Hours{Weekday: time.Weekday(h[0]), StartMinute: int(h[1]), EndMinute: int(h[2])})
		}
		return a, err
	})
	return affs, mapError(err)
}

// Entities lists entities by id.
func (r queries) Entities(ctx context.Context, f app.EntityFilter) ([]domain.Entity, error) {
	rows, err := r.q.Query(ctx, `
SELECT `+entityColumns+` FROM entity
WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1)) AND ($2 = '' OR lower(category) = lower($2))
  AND ($3 = '' OR name ILIKE '%' || $3 || '%') AND ($4 = '' OR lower(city) = lower($4))
ORDER BY id LIMIT 500`, f.IDs, f.Category, f.Name, f.City)
	if err != nil {
		return nil, mapError(err)
	}
	es, err := pgx.CollectRows(rows, scanEntity)
	return es, mapError(err)
}

// Resources lists resources by id.
func (r queries) Resources(ctx context.Context, f app.ResourceFilter) ([]domain.Resource, error) {
	rows, err := r.q.Query(ctx, `
SELECT `+resourceColumns+` FROM resource r
WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1)) AND ($2 = '' OR lower(category) = lower($2))
  AND ($3 = '' OR name ILIKE '%' || $3 || '%') AND ($4 = '' OR lower(specialty) = lower($4))
  AND ($5 = '' OR EXISTS (SELECT 1 FROM affiliation a WHERE a.resource_id = r.id AND a.entity_id = $5))
ORDER BY id LIMIT 500`, f.IDs, f.Category, f.Name, f.Specialty, f.EntityID)
	if err != nil {
		return nil, mapError(err)
	}
	rs, err := pgx.CollectRows(rows, scanResource)
	return rs, mapError(err)
}

// Busy returns, per resource, the periods that block slots in iv: exceptions (leave, holidays) and active
// appointments.
func (r queries) Busy(ctx context.Context, resourceIDs []string, iv domain.Interval) (map[string][]domain.Interval, error) {
	rows, err := r.q.Query(ctx, `
SELECT resource_id, lower(during), upper(during) FROM resource_exception
 WHERE resource_id = ANY($1) AND during && tstzrange($2, $3, '[)')
UNION ALL
SELECT resource_id, lower(during), upper(during) FROM appointment
 WHERE resource_id = ANY($1) AND during && tstzrange($2, $3, '[)') AND status <> 'cancelled'`,
		resourceIDs, iv.Start, iv.End)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := map[string][]domain.Interval{}
	for rows.Next() {
		var id string
		var b domain.Interval
		if err := rows.Scan(&id, &b.Start, &b.End); err != nil {
			return nil, mapError(err)
		}
		out[id] = append(out[id], b)
	}
	return out, mapError(rows.Err())
}

// Exceptions returns a resource's leave and holidays overlapping iv.
func (r queries) Exceptions(ctx context.Context, resourceID string, iv domain.Interval) ([]domain.Interval, error) {
	rows, err := r.q.Query(ctx, `SELECT lower(during), upper(during) FROM resource_exception
WHERE resource_id = $1 AND during && tstzrange($2, $3, '[)')`, resourceID, iv.Start, iv.End)
	if err != nil {
		return nil, mapError(err)
	}
	ivs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Interval, error) {
		var b domain.Interval
		err := row.Scan(&b.Start, &b.End)
		return b, err
	})
	return ivs, mapError(err)
}

const entityColumns = `id, name, category, city, time_zone, email, phone, website`

func scanEntity(row pgx.CollectableRow) (domain.Entity, error) {
	var e domain.Entity
	err := row.Scan(&e.ID, &e.Name, &e.Category, &e.City, &e.TimeZone, &e.Email, &e.Phone, &e.Website)
	return e, err
}

const resourceColumns = `id, name, category, specialty, email, phone, slot_minutes`

func scanResource(row pgx.CollectableRow) (domain.Resource, error) {
	var r domain.Resource
	err := row.Scan(&r.ID, &r.Name, &r.Category, &r.Specialty, &r.Email, &r.Phone, &r.SlotMinutes)
	return r, err
}
