// Package app is the Scheduling use cases: free slots, booking, cancel, reschedule, check-in, the directory,
// GovStack's records, deadlines and the timer firing loop. The store they need is declared here as
// interfaces (ports.go); internal/store implements it on Postgres. Each state change commits together with
// the domain events it raises (Tx.Publish).
package app

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// BB is the building block's name in event types and the database name.
const BB = "scheduling"

// Service runs the use cases on a store.
type Service struct {
	store   Store
	now     func() time.Time
	checkIn domain.CheckInWindow
}

// Options are the rules a deployment sets.
type Options struct {
	// CheckIn is when check-in is accepted (from two hours before the start when zero).
	CheckIn domain.CheckInWindow
}

// New returns the use cases on store; now is the clock (time.Now when nil).
func New(store Store, now func() time.Time, o Options) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now, checkIn: o.CheckIn}
}

// newID is a fresh record id.
func newID() string { return uuid.NewString() }

// orNewID is the id a caller chose, or a fresh one.
func orNewID(id string) string {
	if strings.TrimSpace(id) == "" {
		return newID()
	}
	return strings.TrimSpace(id)
}
