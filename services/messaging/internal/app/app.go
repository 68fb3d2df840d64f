// Package app is the Messaging BB's use cases: accepting send requests, dispatching them, reporting status,
// templates, opt-outs and event-triggered notifications. The ports it needs are declared in ports.go;
// internal/store, internal/delivery and internal/events implement and drive them.
package app

import (
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
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

// Ports are the adapters the use cases run on.
type Ports struct {
	Store   Store
	Senders map[domain.Channel]Sender
	Reports ReportPoster
	Clock   Clock // nil: SystemClock
}

// Service holds the use cases.
type Service struct {
	store    Store
	senders  map[domain.Channel]Sender
	reports  ReportPoster
	clock    Clock
	limits   Limits
	dispatch DispatchOptions
	log      *slog.Logger
	wake     chan struct{}
}

// New wires the use cases.
func New(p Ports, l Limits, d DispatchOptions, log *slog.Logger) *Service {
	clock := p.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	return &Service{store: p.Store, senders: p.Senders, reports: p.Reports, clock: clock, limits: l, dispatch: d,
		log: log, wake: make(chan struct{}, 1)}
}

// Wake nudges the local dispatcher: new messages are due.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
