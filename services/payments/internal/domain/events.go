package domain

import "time"

// Event is a domain event: something that happened which other BBs may react to. internal/events encodes
// each kind into the outbox event Payments publishes.
type Event interface {
	// EventType is the CloudEvents type (and NATS subject) it is published as.
	EventType() string
}

// PaymentEventKind names a payment event: reserved, submitted, settled, failed, reversed.
type PaymentEventKind string

const (
	PaymentReserved  PaymentEventKind = "reserved"
	PaymentSubmitted PaymentEventKind = "submitted"
	PaymentSettled   PaymentEventKind = "settled"
	PaymentFailed    PaymentEventKind = "failed"
	PaymentReversed  PaymentEventKind = "reversed"
)

// PaymentEvent is raised as a payment moves: reserved (a batch's funds, once), submitted to its rail,
// settled, failed, reversed. It carries the caller's references.
type PaymentEvent struct {
	Kind          PaymentEventKind
	Tenant        string
	PaymentID     string // the instruction id; the batch id for reserved
	BatchID       string
	Amount        int64
	Currency      string
	Payee         Payee
	Rail, RailRef string
	Reason        string
	References    map[string]string
	At            time.Time
}

func (e PaymentEvent) EventType() string { return "govstack.payments.v1.payment." + string(e.Kind) }

// BatchEventKind names a batch event: received, validated, authorized, rejected, completed.
type BatchEventKind string

const (
	BatchEventReceived   BatchEventKind = "received"
	BatchEventValidated  BatchEventKind = "validated"
	BatchEventAuthorized BatchEventKind = "authorized"
	BatchEventRejected   BatchEventKind = "rejected"
	BatchEventCompleted  BatchEventKind = "completed"
)

// BatchEvent is raised as a batch moves through its life.
type BatchEvent struct {
	Kind  BatchEventKind
	Batch Batch
	At    time.Time
}

func (e BatchEvent) EventType() string { return "govstack.payments.v1.batch." + string(e.Kind) }
