package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// InsertTimer stores a pending timer.
func InsertTimer(ctx context.Context, q Querier, t domain.Timer) error {
	recipients, err := json.Marshal(t.Recipients)
	if err != nil {
		return err
	}
	var appt *string
	if t.AppointmentID != "" {
		appt = &t.AppointmentID
	}
	_, err = q.Exec(ctx, `INSERT INTO timer (id, kind, fire_at, appointment_id, subject, reference, message, recipients)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, string(t.Kind), t.FireAt, appt, t.Subject, t.Reference, t.Message, recipients)
	return mapError(err)
}

// CancelReminder cancels the pending reminder of an appointment (none pending is fine).
func CancelReminder(ctx context.Context, q Querier, appointmentID string) error {
	_, err := q.Exec(ctx, `UPDATE timer SET cancelled_at = now() WHERE appointment_id = $1
AND kind = 'appointment_reminder' AND fired_at IS NULL AND cancelled_at IS NULL`, appointmentID)
	return mapError(err)
}

// CancelTimer cancels a pending timer of kind; a fired one is FailedPrecondition, a missing one NotFound.
func CancelTimer(ctx context.Context, q Querier, id string, kind domain.TimerKind) error {
	var fired, cancelled bool
	err := q.QueryRow(ctx, `SELECT fired_at IS NOT NULL, cancelled_at IS NOT NULL FROM timer WHERE id = $1 AND kind = $2 FOR UPDATE`,
		id, string(kind)).Scan(&fired, &cancelled)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return apierr.NotFound(domain.ReasonNotFound, string(kind)+" not found")
	case err != nil:
		return mapError(err)
	case fired:
		return apierr.FailedPrecondition(domain.ReasonDeadlineFired, string(kind)+" has already fired")
	case cancelled:
		return nil
	}
	_, err = q.Exec(ctx, `UPDATE timer SET cancelled_at = now() WHERE id = $1`, id)
	return mapError(err)
}

// ClaimDueTimers locks up to limit due timers, oldest first, skipping rows another replica holds: the
// caller fires them and calls MarkFired in the same transaction, so each fires once.
func ClaimDueTimers(ctx context.Context, q Querier, now time.Time, limit int) ([]domain.Timer, error) {
	rows, err := q.Query(ctx, `
SELECT id::text, kind, fire_at, coalesce(appointment_id::text, ''), subject, reference, message, recipients
FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL AND fire_at <= $1
ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
	if err != nil {
		return nil, mapError(err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Timer, error) {
		var t domain.Timer
		var kind string
		var recipients []byte
		if err := row.Scan(&t.ID, &kind, &t.FireAt, &t.AppointmentID, &t.Subject, &t.Reference, &t.Message, &recipients); err != nil {
			return t, err
		}
		t.Kind = domain.TimerKind(kind)
		return t, json.Unmarshal(recipients, &t.Recipients)
	})
}

// MarkFired records that the timers fired at now.
func MarkFired(ctx context.Context, q Querier, ids []string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE timer SET fired_at = $2 WHERE id = ANY($1::uuid[])`, ids, now)
	return mapError(err)
}

// NextDue returns when the earliest pending timer is due (zero when none is pending).
func NextDue(ctx context.Context, q Querier) (time.Time, error) {
	var next *time.Time
	err := q.QueryRow(ctx, `SELECT min(fire_at) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL`).Scan(&next)
	if err != nil || next == nil {
		return time.Time{}, mapError(err)
	}
	return *next, nil
}
