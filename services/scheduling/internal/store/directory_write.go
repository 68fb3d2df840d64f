package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// InsertEntity stores a new entity; an existing id is AlreadyExists.
func (r queries) InsertEntity(ctx context.Context, e domain.Entity) error {
	_, err := r.q.Exec(ctx, `INSERT INTO entity (`+entityColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, e.Name, e.Category, e.City, e.TimeZone, e.Email, e.Phone, e.Website)
	return mapError(err)
}

// UpdateEntity locks the entity, lets fn change it and saves it, in one transaction.
func (s *Store) UpdateEntity(ctx context.Context, id string, fn func(*domain.Entity) error) error {
	return s.inTx(ctx, func(r queries) error {
		rows, err := r.q.Query(ctx, `SELECT `+entityColumns+` FROM entity WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		e, err := pgx.CollectExactlyOneRow(rows, scanEntity)
		if err != nil {
			return notFoundIfNoRows(err, "entity "+id)
		}
		if err := fn(&e); err != nil {
			return err
		}
		_, err = r.q.Exec(ctx, `UPDATE entity SET name = $2, category = $3, city = $4, time_zone = $5, email = $6,
phone = $7, website = $8 WHERE id = $1`, id, e.Name, e.Category, e.City, e.TimeZone, e.Email, e.Phone, e.Website)
		return err
	})
}

// InsertResource stores a new resource.
func (r queries) InsertResource(ctx context.Context, res domain.Resource) error {
	_, err := r.q.Exec(ctx, `INSERT INTO resource (`+resourceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		res.ID, res.Name, res.Category, res.Specialty, res.Email, res.Phone, res.SlotMinutes)
	return mapError(err)
}

// UpdateResource locks the resource, lets fn change it and saves it, in one transaction.
func (s *Store) UpdateResource(ctx context.Context, id string, fn func(*domain.Resource) error) error {
	return s.inTx(ctx, func(r queries) error {
		rows, err := r.q.Query(ctx, `SELECT `+resourceColumns+` FROM resource WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		res, err := pgx.CollectExactlyOneRow(rows, scanResource)
		if err != nil {
			return notFoundIfNoRows(err, "resource "+id)
		}
		if err := fn(&res); err != nil {
			return err
		}
		_, err = r.q.Exec(ctx, `UPDATE resource SET name = $2, category = $3, specialty = $4, email = $5, phone = $6,
slot_minutes = $7 WHERE id = $1`, id, res.Name, res.Category, res.Specialty, res.Email, res.Phone, res.SlotMinutes)
		return err
	})
}

// DeleteEntity deletes an entity; one that appointments refer to is FailedPrecondition.
func (r queries) DeleteEntity(ctx context.Context, id string) error {
	return r.deleteByID(ctx, `DELETE FROM entity WHERE id = $1`, "entity "+id, id)
}

// DeleteResource deletes a resource; one that appointments refer to is FailedPrecondition.
func (r queries) DeleteResource(ctx context.Context, id string) error {
	return r.deleteByID(ctx, `DELETE FROM resource WHERE id = $1`, "resource "+id, id)
}

// DeleteAffiliation deletes an affiliation with its working hours.
func (r queries) DeleteAffiliation(ctx context.Context, id string) error {
	return r.deleteByID(ctx, `DELETE FROM affiliation WHERE id = $1`, "affiliation "+id, id)
}

// DeleteSubscriber deletes a subscriber; one that appointments refer to is FailedPrecondition.
func (r queries) DeleteSubscriber(ctx context.Context, id string) error {
	return r.deleteByID(ctx, `DELETE FROM subscriber WHERE id = $1`, "subscriber "+id, id)
}

// deleteByID runs a delete of one row; none deleted is NotFound naming what.
func (r queries) deleteByID(ctx context.Context, sql, what, id string) error {
	tag, err := r.q.Exec(ctx, sql, id)
	if err != nil {
		return mapError(err)
	}
	return notFoundIfNone(tag.RowsAffected(), what)
}

// InsertAffiliation stores an affiliation with its working hours, in one transaction.
func (s *Store) InsertAffiliation(ctx context.Context, a domain.Affiliation, category string) error {
	return s.inTx(ctx, func(r queries) error {
		if _, err := r.q.Exec(ctx, `INSERT INTO affiliation (id, resource_id, entity_id, category) VALUES ($1, $2, $3, $4)`,
			a.ID, a.Resource.ID, a.Entity.ID, category); err != nil {
			return err
		}
		return r.replaceHours(ctx, a.ID, a.Hours)
	})
}

// UpdateAffiliation sets an affiliation's category (unchanged when empty) and working hours (unchanged when
// nil), in one transaction; a missing affiliation is NotFound.
func (s *Store) UpdateAffiliation(ctx context.Context, id, category string, hours []domain.Hours) error {
	return s.inTx(ctx, func(r queries) error {
		tag, err := r.q.Exec(ctx, `UPDATE affiliation SET category = CASE WHEN $2 = '' THEN category ELSE $2 END WHERE id = $1`, id, category)
		if err != nil {
			return err
		}
		if err := notFoundIfNone(tag.RowsAffected(), "affiliation "+id); err != nil || hours == nil {
			return err
		}
		return r.replaceHours(ctx, id, hours)
	})
}

// replaceHours sets an affiliation's working hours.
func (r queries) replaceHours(ctx context.Context, affiliationID string, hours []domain.Hours) error {
	if _, err := r.q.Exec(ctx, `DELETE FROM working_hours WHERE affiliation_id = $1`, affiliationID); err != nil {
		return err
	}
	for _, h := range hours {
		if _, err := r.q.Exec(ctx, `INSERT INTO working_hours (affiliation_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`,
			affiliationID, int(h.Weekday), h.StartMinute, h.EndMinute); err != nil {
			return err
		}
	}
	return nil
}

// AffiliationsByID lists affiliations (with hours) by id, resource, entity and category, with their
// categories in step.
func (r queries) AffiliationsByID(ctx context.Context, f app.AffiliationListFilter) ([]domain.Affiliation, []string, error) {
	rows, err := r.q.Query(ctx, `SELECT id, category FROM affiliation
WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1)) AND ($2 = '' OR resource_id = $2)
  AND ($3 = '' OR entity_id = $3) AND ($4 = '' OR lower(category) = lower($4)) ORDER BY id LIMIT 500`,
		f.IDs, f.ResourceID, f.EntityID, f.Category)
	if err != nil {
		return nil, nil, mapError(err)
	}
	type idCat struct{ id, cat string }
	pairs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (idCat, error) {
		var p idCat
		return p, row.Scan(&p.id, &p.cat)
	})
	if err != nil {
		return nil, nil, mapError(err)
	}
	all, err := r.Affiliations(ctx, app.AffiliationFilter{ResourceID: f.ResourceID, EntityID: f.EntityID})
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

// InsertException stores a leave or holiday period of a resource.
func (r queries) InsertException(ctx context.Context, id, resourceID string, iv domain.Interval, reason string) error {
	_, err := r.q.Exec(ctx, `INSERT INTO resource_exception (id, resource_id, during, reason) VALUES ($1, $2, tstzrange($3, $4, '[)'), $5)`,
		id, resourceID, iv.Start, iv.End, reason)
	return mapError(err)
}

// DeleteException removes a leave or holiday period.
func (r queries) DeleteException(ctx context.Context, id string) error {
	return r.deleteByID(ctx, `DELETE FROM resource_exception WHERE id = $1`, "exception "+id, id)
}
