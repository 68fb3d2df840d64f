package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// InsertTimer stores a pending timer.
func (r queries) InsertTimer(ctx context.Context, t domain.Timer) error {
	recipients, err := json.Marshal(t.Recipients)
	if err != nil {
		return err
	}
	var appt *string
	if t.AppointmentID != "" {
		appt = &t.AppointmentID
	}
	_, err = r.q.Exec(ctx, `INSERT INTO timer (id, kind, fire_at, appointment_id, subject, reference, message, recipients)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, string(t.Kind), t.FireAt, appt, t.Subject, t.Reference, t.Message, recipients)
	return mapError(err)
}

// CancelReminder cancels the pending reminder of an appointment (none pending is fine).
func (r queries) CancelReminder(ctx context.Context, appointmentID string) error {
	_, err := r.q.Exec(ctx, `UPDATE timer SET cancelled_at = now() WHERE appointment_id = $1
AND kind = 'appointment_reminder' AND fired_at IS NULL AND cancelled_at IS NULL`, appointmentID)
	return mapError(err)
}

// CancelTimersFor cancels the pending timers of kind with subject and reference (an event's deadline, an alert).
func (r queries) CancelTimersFor(ctx context.Context, kind domain.TimerKind, subject, reference string) error {
	_, err := r.q.Exec(ctx, `UPDATE timer SET cancelled_at = now() WHERE kind = $1 AND subject = $2 AND reference = $3
AND fired_at IS NULL AND cancelled_at IS NULL`, string(kind), subject, reference)
	return mapError(err)
}

const timerColumns = `id::text, kind, fire_at, coalesce(appointment_id::text, ''), subject, reference, message, recipients,
fired_at IS NOT NULL, cancelled_at IS NOT NULL`

func scanTimer(row pgx.CollectableRow) (domain.Timer, error) {
	var t domain.Timer
	var kind string
	var recipients []byte
	if err := row.Scan(&t.ID, &kind, &t.FireAt, &t.AppointmentID, &t.Subject, &t.Reference, &t.Message, &recipients,
		&t.Fired, &t.Cancelled); err != nil {
		return t, err
	}
	t.Kind = domain.TimerKind(kind)
	return t, json.Unmarshal(recipients, &t.Recipients)
}

// UpdateDeadline locks a deadline timer, lets fn change its state and saves a cancel, in one transaction.
func (s *Store) UpdateDeadline(ctx context.Context, id string, fn func(*domain.Timer) error) error {
	const kind = domain.TimerDeadline
	return s.inTx(ctx, func(r queries) error {
		rows, err := r.q.Query(ctx, `SELECT `+timerColumns+` FROM timer WHERE id = $1 AND kind = $2 FOR UPDATE`, id, string(kind))
		if err != nil {
			return err
		}
		t, err := pgx.CollectExactlyOneRow(rows, scanTimer)
		if err != nil {
			return notFoundIfNoRows(err, string(kind))
		}
		was := t
		if err := fn(&t); err != nil || t.Cancelled == was.Cancelled {
			return err
		}
		_, err = r.q.Exec(ctx, `UPDATE timer SET cancelled_at = now() WHERE id = $1`, id)
		return err
	})
}

// ClaimDueTimers locks up to limit due timers, oldest first, skipping rows another replica holds: the
// caller fires them and calls MarkFired in the same transaction, so each fires once.
func (r queries) ClaimDueTimers(ctx context.Context, now time.Time, limit int) ([]domain.Timer, error) {
	rows, err := r.q.Query(ctx, `SELECT `+timerColumns+` FROM timer
WHERE fired_at IS NULL AND cancelled_at IS NULL AND fire_at <= $1
ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
	if err != nil {
		return nil, mapError(err)
	}
	ts, err := pgx.CollectRows(rows, scanTimer)
	return ts, mapError(err)
}

// MarkFired records that the timers fired at now.
func (r queries) MarkFired(ctx context.Context, ids []string, now time.Time) error {
	_, err := r.q.Exec(ctx, `UPDATE timer SET fired_at = $2 WHERE id = ANY($1::uuid[])`, ids, now)
	return mapError(err)
}

// NextDue returns when the earliest pending timer is due (zero when none is pending).
func (r queries) NextDue(ctx context.Context) (time.Time, error) {
	var next *time.Time
	err := r.q.QueryRow(ctx, `SELECT min(fire_at) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL`).Scan(&next)
	if err != nil || next == nil {
		return time.Time{}, mapError(err)
	}
	return *next, nil
}
