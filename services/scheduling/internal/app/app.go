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
}

// New returns the use cases on pool (migrated); now is the clock (time.Now when nil).
func New(pool *pgxpool.Pool, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{pool: pool, now: now}
}

func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgstore.InTx(ctx, s.pool, fn)
}
