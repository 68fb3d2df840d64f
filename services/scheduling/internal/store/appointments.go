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

// Appointments lists appointments in start order (then id), with the names of their resource, entity and
// subscriber, at most f.Limit, after f.After when set (keyset paging on the start index).
func (r queries) Appointments(ctx context.Context, f app.AppointmentFilter) ([]domain.AppointmentListing, error) {
	var from, to, afterAt *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	afterID := ""
	if f.After != nil {
		afterAt, afterID = &f.After.Start, f.After.ID
	}
	rows, err := r.q.Query(ctx, `SELECT a.id::text, a.resource_id, a.entity_id, a.subscriber_id, lower(a.during), upper(a.during),
  a.status, a.booking_code, a.reason, r.name, r.specialty, e.name, e.time_zone, s.name
FROM appointment a JOIN resource r ON r.id = a.resource_id JOIN entity e ON e.id = a.entity_id
  JOIN subscriber s ON s.id = a.subscriber_id
WHERE ($1 = '' OR a.id::text = $1) AND ($2 = '' OR a.subscriber_id = $2) AND ($3 = '' OR a.entity_id = $3)
  AND ($4 = '' OR a.resource_id = $4) AND ($5 = '' OR a.status = $5)
  AND ($6::timestamptz IS NULL OR lower(a.during) >= $6) AND ($7::timestamptz IS NULL OR lower(a.during) < $7)
  AND ($8::timestamptz IS NULL OR (lower(a.during), a.id) > ($8, $9::uuid))
ORDER BY lower(a.during), a.id LIMIT $10`, f.ID, f.SubscriberID, f.EntityID, f.ResourceID, string(f.Status), from, to,
		afterAt, nullUUID(afterID), f.Limit)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []domain.AppointmentListing
	for rows.Next() {
		var l domain.AppointmentListing
		a := &l.Appointment
		var st string
		if err := rows.Scan(&a.ID, &a.ResourceID, &a.EntityID, &a.SubscriberID, &a.Start, &a.End, &st, &a.BookingCode,
			&a.Reason, &l.ResourceName, &l.Specialty, &l.EntityName, &l.TimeZone, &l.SubscriberName); err != nil {
			return nil, mapError(err)
		}
		a.Status = domain.Status(st)
		out = append(out, l)
	}
	return out, mapError(rows.Err())
}

// nullUUID is nil for "" (no cursor), else the id.
func nullUUID(id string) any {
	if id == "" {
		return nil
	}
	return id
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
