package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// fireBatch is how many due timers one transaction fires.
const fireBatch = 100

// FireDue fires every timer due now, batch by batch, and returns how many fired. Each batch is claimed
// with FOR UPDATE SKIP LOCKED and marked fired in the transaction that adds its events to the outbox, so
// replicas share the work and a timer fires exactly once; a crash before commit leaves it due.
func (s *Service) FireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			now := s.now()
			timers, err := store.ClaimDueTimers(ctx, tx, now, fireBatch)
			if err != nil || len(timers) == 0 {
				return err
			}
			ids := make([]string, 0, len(timers))
			for _, t := range timers {
				if err := s.fire(ctx, tx, t); err != nil {
					return err
				}
				ids = append(ids, t.ID)
			}
			n = len(timers)
			return store.MarkFired(ctx, tx, ids, now)
		})
		total += n
		if err != nil || n < fireBatch {
			return total, err
		}
	}
}

// fire adds a timer's event to the outbox in tx.
func (s *Service) fire(ctx context.Context, tx pgx.Tx, t domain.Timer) error {
	var typ, subject string
	var payload proto.Message
	switch t.Kind {
	case domain.TimerDeadline:
		typ, subject = EventDeadlineReached, t.Reference
		payload = &schedulingv1.DeadlineReached{DeadlineId: t.ID, Subject: t.Subject, Reference: t.Reference,
			DueAt: timestamppb.New(t.FireAt), Recipients: recipientsPB(t.Recipients)}
	case domain.TimerAppointmentReminder:
		// A plain read, not a lock: cancel locks the appointment and then the timer, so locking here
		// (timer, then appointment) could deadlock. A cancel racing this firing waits for the timer row
		// and then finds it fired; the reminder went out just before the cancel, which is harmless.
		a, err := store.ReadAppointment(ctx, tx, t.AppointmentID)
		if err != nil {
			return err
		}
		if a.Status != domain.StatusBooked {
			return nil // cancelled or checked in meanwhile: nothing to remind of
		}
		p, err := store.AppointmentParties(ctx, tx, a)
		if err != nil {
			return err
		}
		typ, subject = EventAlertFired, a.ID
		payload = &schedulingv1.AlertFired{AlertId: t.ID, Kind: string(t.Kind), FireAt: timestamppb.New(t.FireAt),
			Message:     "Reminder: appointment with " + p.Resource.Name + " at " + p.Entity.Name,
			Appointment: s.reminded(a, p),
			Recipients:  []*schedulingv1.Recipient{{Email: p.Subscriber.Email, Phone: p.Subscriber.Phone}}}
	default:
		// An alert schedule's alertId is the GovStack alert_schedule_id it came from.
		typ, subject = EventAlertFired, t.Reference
		payload = &schedulingv1.AlertFired{AlertId: t.Reference, Kind: string(t.Kind), Message: t.Message,
			FireAt: timestamppb.New(t.FireAt), Recipients: recipientsPB(t.Recipients)}
	}
	return outbox.Add(ctx, tx, outbox.Event{Type: typ, Source: eventSource, Subject: subject, Payload: payload})
}

// reminded is the appointment a reminder is about, with the booking code: the reminder is what the citizen
// reads on the day before, when they need the code at check-in.
func (s *Service) reminded(a domain.Appointment, p store.Parties) *schedulingv1.AppointmentEvent {
	ev := s.appointmentEvent(a, p)
	ev.BookingCode = a.BookingCode
	return ev
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
	next, err := store.NextDue(ctx, s.pool)
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
	t := domain.Timer{ID: uuid.NewString(), Kind: domain.TimerDeadline, FireAt: in.DueAt.UTC(), Subject: in.Subject,
		Reference: in.Reference, Recipients: in.Recipients}
	return t, store.InsertTimer(ctx, s.pool, t)
}

// CancelDeadline cancels a pending deadline.
func (s *Service) CancelDeadline(ctx context.Context, id string) error {
	if err := staffOnly(ctx, "cancel deadlines"); err != nil {
		return err
	}
	if err := checkID("deadline_id", id); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error { return store.CancelTimer(ctx, tx, id, domain.TimerDeadline) })
}
