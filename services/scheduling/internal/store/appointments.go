package store

import (
	"context"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// UpsertSubscriber creates the citizen or refreshes their contact details (the booking carries the latest).
// A national id once stored is kept when a later booking omits it.
func (r queries) UpsertSubscriber(ctx context.Context, s domain.Subscriber) error {
	_, err := r.q.Exec(ctx, `
INSERT INTO subscriber (id, name, email, phone, category, national_id) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
  category = CASE WHEN excluded.category = '' THEN subscriber.category ELSE excluded.category END,
  national_id = CASE WHEN excluded.national_id = '' THEN subscriber.national_id ELSE excluded.national_id END`,
		s.ID, s.Name, s.Email, s.Phone, s.Category, s.NationalID)
	return mapError(err)
}

// InsertNewSubscriber stores s unless a subscriber with its id exists, and reports whether it stored it; an
// existing record is left as it is.
func (r queries) InsertNewSubscriber(ctx context.Context, s domain.Subscriber) (bool, error) {
	tag, err := r.q.Exec(ctx, `
INSERT INTO subscriber (id, name, email, phone, category, national_id) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO NOTHING`, s.ID, s.Name, s.Email, s.Phone, s.Category, s.NationalID)
	if err != nil {
		return false, mapError(err)
	}
	return tag.RowsAffected() == 1, nil
}

// InsertAppointment stores a booked appointment; an overlapping active one is "slot already booked".
func (r queries) InsertAppointment(ctx context.Context, a domain.Appointment) error {
	_, err := r.q.Exec(ctx, `
INSERT INTO appointment (id, resource_id, entity_id, subscriber_id, during, status, booking_code, reason)
VALUES ($1, $2, $3, $4, tstzrange($5, $6, '[)'), $7, $8, $9)`,
		a.ID, a.ResourceID, a.EntityID, a.SubscriberID, a.Start, a.End, string(a.Status), a.BookingCode, a.Reason)
	return mapError(err)
}

const appointmentColumns = `id::text, resource_id, entity_id, subscriber_id, lower(during), upper(during), status, booking_code, reason`

func scanAppointment(row pgx.Row) (domain.Appointment, error) {
	var a domain.Appointment
	var st string
	err := row.Scan(&a.ID, &a.ResourceID, &a.EntityID, &a.SubscriberID, &a.Start, &a.End, &st, &a.BookingCode, &a.Reason)
	a.Status = domain.Status(st)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, apierr.NotFound(domain.ReasonNotFound, "appointment not found")
	}
	return a, mapError(err)
}

// LockAppointment reads an appointment and locks it for the rest of the transaction, so a concurrent
// cancel and reschedule of one appointment run one after the other.
func (r queries) LockAppointment(ctx context.Context, id string) (domain.Appointment, error) {
	return scanAppointment(r.q.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointment WHERE id = $1 FOR UPDATE`, id))
}

// ReadAppointment reads an appointment without locking it.
func (r queries) ReadAppointment(ctx context.Context, id string) (domain.Appointment, error) {
	return scanAppointment(r.q.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointment WHERE id = $1`, id))
}

// SaveAppointment writes an appointment's period, status and reason.
func (r queries) SaveAppointment(ctx context.Context, a domain.Appointment) error {
	_, err := r.q.Exec(ctx, `UPDATE appointment SET during = tstzrange($2, $3, '[)'), status = $4, reason = $5,
updated_at = now() WHERE id = $1`, a.ID, a.Start, a.End, string(a.Status), a.Reason)
	return mapError(err)
}

// Appointments lists appointments in start order, at most 500.
func (r queries) Appointments(ctx context.Context, f app.AppointmentFilter) ([]domain.Appointment, error) {
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	rows, err := r.q.Query(ctx, `SELECT `+appointmentColumns+` FROM appointment
WHERE ($1 = '' OR id::text = $1) AND ($2 = '' OR subscriber_id = $2) AND ($3 = '' OR entity_id = $3)
  AND ($4 = '' OR resource_id = $4) AND ($5 = '' OR status = $5)
  AND ($6::timestamptz IS NULL OR lower(during) >= $6) AND ($7::timestamptz IS NULL OR lower(during) < $7)
ORDER BY lower(during), id LIMIT 500`, f.ID, f.SubscriberID, f.EntityID, f.ResourceID, string(f.Status), from, to)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []domain.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, mapError(rows.Err())
}

// Parties reads the subscriber, resource and entity of an appointment.
func (r queries) Parties(ctx context.Context, a domain.Appointment) (domain.Parties, error) {
	var p domain.Parties
	s, res, e := &p.Subscriber, &p.Resource, &p.Entity
	err := r.q.QueryRow(ctx, `
SELECT s.id, s.name, s.email, s.phone, s.national_id, r.id, r.name, r.email, e.id, e.name, e.email, e.time_zone
FROM subscriber s, resource r, entity e WHERE s.id = $1 AND r.id = $2 AND e.id = $3`,
		a.SubscriberID, a.ResourceID, a.EntityID).Scan(&s.ID, &s.Name, &s.Email, &s.Phone, &s.NationalID,
		&res.ID, &res.Name, &res.Email, &e.ID, &e.Name, &e.Email, &e.TimeZone)
	return p, mapError(err)
}

// LockSlot serialises the transactions that book one slot (resource, start) until they end. The exclusion
// constraint alone is correct, but two transactions inserting the same range at once can each wait for
// the other's index entry, and Postgres resolves that as a deadlock only after deadlock_timeout (1 s);
// queueing on the slot first makes the loser meet the winner's committed row and fail at once.
func (r queries) LockSlot(ctx context.Context, resourceID string, start time.Time) error {
	_, err := r.q.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, resourceID, start.UTC().Format(time.RFC3339))
	return mapError(err)
}
