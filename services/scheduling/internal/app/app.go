// Package app is the Scheduling use cases: free slots, booking, cancel, reschedule, check-in, deadlines
// and the timer firing loop. Each state change commits together with its outbox event.
package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// BB is the building block's name in event types and the database name.
const BB = "scheduling"

// The event types (also the NATS subjects) this BB publishes on stream GOVSTACK_SCHEDULING.
var (
	EventAppointmentBooked      = natsbus.Subject(BB, "appointment", "booked")
	EventAppointmentCancelled   = natsbus.Subject(BB, "appointment", "cancelled")
	EventAppointmentRescheduled = natsbus.Subject(BB, "appointment", "rescheduled")
	EventAppointmentCheckedIn   = natsbus.Subject(BB, "appointment", "checked_in")
	EventAlertFired             = natsbus.Subject(BB, "alert", "fired")
	EventDeadlineReached        = natsbus.Subject(BB, "deadline", "reached")
)

// eventSource is the CloudEvents source of every event of this BB.
const eventSource = "govstack/" + BB

// Service runs the use cases on a Postgres pool.
type Service struct {
	pool *pgxpool.Pool
	now  func() time.Time
	opts Options
}

// Options are the rules a deployment sets.
type Options struct {
	// CheckInOpensBefore is how long before an appointment's start check-in opens; it closes at the
	// appointment's end (DefaultCheckInOpensBefore when zero).
	CheckInOpensBefore time.Duration
}

// DefaultCheckInOpensBefore is two hours.
const DefaultCheckInOpensBefore = 2 * time.Hour

// New returns the use cases on pool (migrated); now is the clock (time.Now when nil).
func New(pool *pgxpool.Pool, now func() time.Time, o Options) *Service {
	if now == nil {
		now = time.Now
	}
	if o.CheckInOpensBefore <= 0 {
		o.CheckInOpensBefore = DefaultCheckInOpensBefore
	}
	return &Service{pool: pool, now: now, opts: o}
}

func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgstore.InTx(ctx, s.pool, fn)
}
