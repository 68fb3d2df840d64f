package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// fireBatch is how many due timers one transaction fires.
const fireBatch = 100

// FireDue fires every timer due now, batch by batch, and returns how many fired. Each batch is claimed
// with FOR UPDATE SKIP LOCKED and marked fired in the transaction that publishes its events, so replicas
// share the work and a timer fires exactly once; a crash before commit leaves it due.
func (s *Service) FireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.store.InTx(ctx, func(tx Tx) error {
			now := s.now()
			timers, err := tx.ClaimDueTimers(ctx, now, fireBatch)
			if err != nil || len(timers) == 0 {
				return err
			}
			ids := make([]string, 0, len(timers))
			for _, t := range timers {
				if err := fire(ctx, tx, t); err != nil {
					return err
				}
				ids = append(ids, t.ID)
			}
			n = len(timers)
			return tx.MarkFired(ctx, ids, now)
		})
		total += n
		if err != nil || n < fireBatch {
			return total, err
		}
	}
}

// fire publishes a timer's event in tx.
func fire(ctx context.Context, tx Tx, t domain.Timer) error {
	switch t.Kind {
	case domain.TimerDeadline:
		tx.Publish(domain.DeadlineReached{Timer: t})
	case domain.TimerAppointmentReminder:
		// A plain read, not a lock: cancel locks the appointment and then the timer, so locking here
		// (timer, then appointment) could deadlock. A cancel racing this firing waits for the timer row
		// and then finds it fired; the reminder went out just before the cancel, which is harmless.
		a, err := tx.ReadAppointment(ctx, t.AppointmentID)
		if err != nil {
			return err
		}
		if !a.Remindable() {
			return nil // cancelled or checked in meanwhile: nothing to remind of
		}
		p, err := tx.Parties(ctx, a)
		if err != nil {
			return err
		}
		tx.Publish(domain.AlertFired{Timer: t, Reminder: &domain.Reminder{AppointmentFacts: domain.AppointmentFacts{Appointment: a, Parties: p}}})
	default:
		tx.Publish(domain.AlertFired{Timer: t})
	}
	return nil
}

// RunTimers fires due timers until ctx is done: after each pass it sleeps until the next pending timer is
// due, or interval at most (so timers created meanwhile, by this or another replica, wait no longer than
// interval). Errors are logged and retried: a timer that cannot fire now fires late, never not at all.
func (s *Service) RunTimers(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		if _, err := s.FireDue(ctx); err != nil && ctx.Err() == nil {
			log.Warn("firing timers failed; retrying", "error", err.Error())
		}
		timer.Reset(s.nextWait(ctx, interval))
	}
}

// minTimerWait keeps the loop from spinning when the next timer is due in a moment.
const minTimerWait = 10 * time.Millisecond

func (s *Service) nextWait(ctx context.Context, interval time.Duration) time.Duration {
	next, err := s.store.NextDue(ctx)
	if err != nil || next.IsZero() {
		return interval
	}
	return min(interval, max(next.Sub(s.now()), minTimerWait))
}

// DeadlineInput defines a deadline.
type DeadlineInput struct {
	Subject, Reference string
	DueAt              time.Time
	Recipients         []domain.Recipient
}

// SetDeadline stores a deadline timer; a due time in the past fires on the next tick.
func (s *Service) SetDeadline(ctx context.Context, in DeadlineInput) (domain.Timer, error) {
	if err := staffOnly(ctx, "set deadlines"); err != nil {
		return domain.Timer{}, err
	}
	if err := domain.Required("subject", in.Subject); err != nil {
		return domain.Timer{}, err
	}
	if in.DueAt.IsZero() {
		return domain.Timer{}, apierr.Invalid(domain.ReasonInvalidTime, "due_at is required",
			apierr.FieldViolation{Field: "due_at", Description: "required, RFC 3339"})
	}
	t := domain.Timer{ID: newID(), Kind: domain.TimerDeadline, FireAt: in.DueAt.UTC(), Subject: in.Subject,
		Reference: in.Reference, Recipients: in.Recipients}
	return t, s.store.InsertTimer(ctx, t)
}

// CancelDeadline cancels a pending deadline; one that fired cannot be (domain.Timer.Cancel).
func (s *Service) CancelDeadline(ctx context.Context, id string) error {
	if err := staffOnly(ctx, "cancel deadlines"); err != nil {
		return err
	}
	if err := domain.CheckID("deadline_id", id); err != nil {
		return err
	}
	return s.store.UpdateDeadline(ctx, id, (*domain.Timer).Cancel)
}
