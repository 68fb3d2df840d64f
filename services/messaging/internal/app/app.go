// Package app is the Messaging BB's use cases: accepting send requests, dispatching them, reporting status,
// templates, opt-outs and event-triggered notifications.
package app

import (
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/delivery"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
)

// Limits bound what one request may ask for.
type Limits struct {
	MaxBatch         int     // recipients per batch request
	MaxSubjectBytes  int     // e-mail subject
	MaxBodyBytes     int     // e-mail text + HTML
	MaxSMSChars      int     // SMS text
	RecipientPerHour int     // messages accepted per recipient per hour per channel; 0 = unlimited
	EmailPerSecond   float64 // e-mail send rate per replica; 0 = unlimited
	SMSPerSecond     float64 // SMS send rate per replica; 0 = unlimited
}

// DispatchOptions tune the dispatcher.
type DispatchOptions struct {
	Workers      int           // concurrent sends
	ClaimBatch   int           // messages claimed per pass
	Lease        time.Duration // how long a claim is held before another dispatcher may take the message
	PollInterval time.Duration // longest idle wait (new local requests wake the dispatcher at once)
	SendTimeout  time.Duration // bound on one attempt
	Retry        domain.RetryPolicy
}

// Service holds the use cases.
type Service struct {
	store    *store.Store
	senders  map[domain.Channel]delivery.Sender
	limits   Limits
	dispatch DispatchOptions
	log      *slog.Logger
	wake     chan struct{}
}

// New wires the use cases.
func New(st *store.Store, senders map[domain.Channel]delivery.Sender, l Limits, d DispatchOptions, log *slog.Logger) *Service {
	return &Service{store: st, senders: senders, limits: l, dispatch: d, log: log, wake: make(chan struct{}, 1)}
}

// Store exposes the store (for the event consumer).
func (s *Service) Store() *store.Store { return s.store }

// Wake nudges the local dispatcher: new messages are due.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
