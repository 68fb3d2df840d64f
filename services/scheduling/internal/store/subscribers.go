package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

const subscriberColumns = `id, name, email, phone, category, national_id`

func scanSubscriber(row pgx.CollectableRow) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := row.Scan(&s.ID, &s.Name, &s.Email, &s.Phone, &s.Category, &s.NationalID)
	return s, err
}

// InsertSubscriber stores a new subscriber.
func (r queries) InsertSubscriber(ctx context.Context, s domain.Subscriber) error {
	_, err := r.q.Exec(ctx, `INSERT INTO subscriber (`+subscriberColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.ID, s.Name, s.Email, s.Phone, s.Category, s.NationalID)
	return mapError(err)
}

// UpdateSubscriber locks the subscriber, lets fn change them and saves them, in one transaction.
func (s *Store) UpdateSubscriber(ctx context.Context, id string, fn func(*domain.Subscriber) error) error {
	return s.inTx(ctx, func(r queries) error {
		rows, err := r.q.Query(ctx, `SELECT `+subscriberColumns+` FROM subscriber WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		sub, err := pgx.CollectExactlyOneRow(rows, scanSubscriber)
		if err != nil {
			return notFoundIfNoRows(err, "subscriber "+id)
		}
		if err := fn(&sub); err != nil {
			return err
		}
		_, err = r.q.Exec(ctx, `UPDATE subscriber SET name = $2, email = $3, phone = $4, category = $5, national_id = $6 WHERE id = $1`,
			id, sub.Name, sub.Email, sub.Phone, sub.Category, sub.NationalID)
		return err
	})
}

// Subscribers lists subscribers by id, at most 500.
func (r queries) Subscribers(ctx context.Context, f app.SubscriberFilter) ([]domain.Subscriber, error) {
	rows, err := r.q.Query(ctx, `SELECT `+subscriberColumns+` FROM subscriber
WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1)) AND ($2 = '' OR lower(category) = lower($2))
  AND ($3 = '' OR name ILIKE '%' || $3 || '%') AND ($4 = '' OR lower(email) = lower($4)) AND ($5 = '' OR phone = $5)
ORDER BY id LIMIT 500`, f.IDs, f.Category, f.Name, f.Email, f.Phone)
	if err != nil {
		return nil, mapError(err)
	}
	subs, err := pgx.CollectRows(rows, scanSubscriber)
	return subs, mapError(err)
}

// ReadSubscriber reads one subscriber.
func (r queries) ReadSubscriber(ctx context.Context, id string) (domain.Subscriber, error) {
	rows, err := r.q.Query(ctx, `SELECT `+subscriberColumns+` FROM subscriber WHERE id = $1`, id)
	if err != nil {
		return domain.Subscriber{}, mapError(err)
	}
	sub, err := pgx.CollectExactlyOneRow(rows, scanSubscriber)
	return sub, notFoundIfNoRows(err, "subscriber "+id)
}
