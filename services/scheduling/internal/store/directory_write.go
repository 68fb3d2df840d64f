package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

func notFoundIfNone(n int64, what string) error {
	if n == 0 {
		return apierr.NotFound(domain.ReasonNotFound, what+" not found")
	}
	return nil
}

// InsertEntity stores a new entity; an existing id is AlreadyExists.
func InsertEntity(ctx context.Context, q Querier, e domain.Entity) error {
	_, err := q.Exec(ctx, `INSERT INTO entity (id, name, category, city, time_zone, email, phone, website)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.ID, e.Name, e.Category, e.City, e.TimeZone, e.Email, e.Phone, e.Website)
	return mapError(err)
}

// UpdateEntity overwrites an entity's fields.
func UpdateEntity(ctx context.Context, q Querier, e domain.Entity) error {
	tag, err := q.Exec(ctx, `UPDATE entity SET name = $2, category = $3, city = $4, time_zone = $5, email = $6, phone = $7,
website = $8 WHERE id = $1`, e.ID, e.Name, e.Category, e.City, e.TimeZone, e.Email, e.Phone, e.Website)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), "entity "+e.ID)
}

// InsertResource stores a new resource.
func InsertResource(ctx context.Context, q Querier, r domain.Resource) error {
	_, err := q.Exec(ctx, `INSERT INTO resource (id, name, category, specialty, email, phone, slot_minutes)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, r.Name, r.Category, r.Specialty, r.Email, r.Phone, r.SlotMinutes)
	return mapError(err)
}

// UpdateResource overwrites a resource's fields.
func UpdateResource(ctx context.Context, q Querier, r domain.Resource) error {
	tag, err := q.Exec(ctx, `UPDATE resource SET name = $2, category = $3, specialty = $4, email = $5, phone = $6,
slot_minutes = $7 WHERE id = $1`, r.ID, r.Name, r.Category, r.Specialty, r.Email, r.Phone, r.SlotMinutes)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), "resource "+r.ID)
}

// InsertSubscriber stores a new subscriber.
func InsertSubscriber(ctx context.Context, q Querier, s domain.Subscriber) error {
	_, err := q.Exec(ctx, `INSERT INTO subscriber (id, name, email, phone, category, national_id) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.ID, s.Name, s.Email, s.Phone, s.Category, s.NationalID)
	return mapError(err)
}

// UpdateSubscriber overwrites a subscriber's fields.
func UpdateSubscriber(ctx context.Context, q Querier, s domain.Subscriber) error {
	tag, err := q.Exec(ctx, `UPDATE subscriber SET name = $2, email = $3, phone = $4, category = $5, national_id = $6 WHERE id = $1`,
		s.ID, s.Name, s.Email, s.Phone, s.Category, s.NationalID)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), "subscriber "+s.ID)
}

// SubscriberFilter is GovStack's subscriber_filter.
type SubscriberFilter struct {
	IDs                          []string
	Category, Name, Email, Phone string
}

// Subscribers lists subscribers by id, at most 500.
func Subscribers(ctx context.Context, q Querier, f SubscriberFilter) ([]domain.Subscriber, error) {
	rows, err := q.Query(ctx, `SELECT id, name, email, phone, category, national_id FROM subscriber
WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1)) AND ($2 = '' OR lower(category) = lower($2))
  AND ($3 = '' OR name ILIKE '%' || $3 || '%') AND ($4 = '' OR lower(email) = lower($4)) AND ($5 = '' OR phone = $5)
ORDER BY id LIMIT 500`, f.IDs, f.Category, f.Name, f.Email, f.Phone)
	if err != nil {
		return nil, mapError(err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Subscriber, error) {
		var s domain.Subscriber
		err := row.Scan(&s.ID, &s.Name, &s.Email, &s.Phone, &s.Category, &s.NationalID)
		return s, err
	})
}

// ReadSubscriber reads one subscriber.
func ReadSubscriber(ctx context.Context, q Querier, id string) (domain.Subscriber, error) {
	ss, err := Subscribers(ctx, q, SubscriberFilter{IDs: []string{id}})
	if err != nil {
		return domain.Subscriber{}, err
	}
	if len(ss) == 0 {
		return domain.Subscriber{}, apierr.NotFound(domain.ReasonNotFound, "subscriber "+id+" not found")
	}
	return ss[0], nil
}

// DeleteRow deletes the row with id from one of the directory tables (entity, resource, subscriber,
// affiliation). Rows still referenced (appointments) make it FailedPrecondition.
func DeleteRow(ctx context.Context, q Querier, table, id string) error {
	var sql string
	switch table {
	case "entity", "resource", "subscriber", "affiliation":
		sql = `DELETE FROM ` + table + ` WHERE id = $1` // table is one of the constants above
	default:
		return apierr.Invalid(domain.ReasonInvalidInput, "unknown table "+table)
	}
	tag, err := q.Exec(ctx, sql, id)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), table+" "+id)
}

// InsertAffiliation stores an affiliation with its working hours.
func InsertAffiliation(ctx context.Context, q Querier, a domain.Affiliation, category string) error {
	if _, err := q.Exec(ctx, `INSERT INTO affiliation (id, resource_id, entity_id, category) VALUES ($1, $2, $3, $4)`,
		a.ID, a.Resource.ID, a.Entity.ID, category); err != nil {
		return mapError(err)
	}
	return ReplaceHours(ctx, q, a.ID, a.Hours)
}

// ReplaceHours sets an affiliation's working hours.
func ReplaceHours(ctx context.Context, q Querier, affiliationID string, hours []domain.Hours) error {
	if _, err := q.Exec(ctx, `DELETE FROM working_hours WHERE affiliation_id = $1`, affiliationID); err != nil {
		return mapError(err)
	}
	for _, h := range hours {
		if _, err := q.Exec(ctx, `INSERT INTO working_hours (affiliation_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`,
			affiliationID, int(h.Weekday), h.StartMinute, h.EndMinute); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// AffiliationsByID lists affiliations (with hours) by id, resource, entity and category.
func AffiliationsByID(ctx context.Context, q Querier, ids []string, resourceID, entityID, category string) ([]domain.Affiliation, []string, error) {
	rows, err := q.Query(ctx, `SELECT id, category FROM affiliation
WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1)) AND ($2 = '' OR resource_id = $2)
  AND ($3 = '' OR entity_id = $3) AND ($4 = '' OR lower(category) = lower($4)) ORDER BY id LIMIT 500`, ids, resourceID, entityID, category)
	if err != nil {
		return nil, nil, mapError(err)
	}
	type idCat struct{ id, cat string }
	pairs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (idCat, error) {
		var p idCat
		return p, row.Scan(&p.id, &p.cat)
	})
	if err != nil {
		return nil, nil, err
	}
	all, err := Affiliations(ctx, q, AffiliationFilter{ResourceID: resourceID, EntityID: entityID})
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]domain.Affiliation{}
	for _, a := range all {
		byID[a.ID] = a
	}
	var out []domain.Affiliation
	var cats []string
	for _, p := range pairs {
		if a, ok := byID[p.id]; ok {
			out, cats = append(out, a), append(cats, p.cat)
		}
	}
	return out, cats, nil
}

// UpdateAffiliationCategory sets an affiliation's category (unchanged when category is empty); a missing
// affiliation is NotFound.
func UpdateAffiliationCategory(ctx context.Context, q Querier, id, category string) error {
	tag, err := q.Exec(ctx, `UPDATE affiliation SET category = CASE WHEN $2 = '' THEN category ELSE $2 END WHERE id = $1`, id, category)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), "affiliation "+id)
}
