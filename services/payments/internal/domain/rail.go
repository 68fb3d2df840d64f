package domain

import (
	"errors"
	"time"
)

// What the app knows of a rail (the port is app.Rail): an account it pays to, an instruction it is given,
// and what it says happened to one.

// RailAccount is where a rail pays: a financial address (MSISDN, bank account) at an FSP, by modality.
type RailAccount struct{ Modality, FinancialAddress, FSP string }

// RailInstruction is one payment given to a rail. ID is its idempotency key there: a payment re-sent under
// the same ID is the same payment.
type RailInstruction struct {
	ID                  string
	Payee               RailAccount
	Amount              int64
	Currency, Reference string
}

// RailState is a rail's word for a payment's state.
type RailState string

const (
	RailPending RailState = "PENDING"
	RailSettled RailState = "SETTLED"
	RailFailed  RailState = "FAILED"
)

// RailResult is what a rail says of a payment.
type RailResult struct {
	State           RailState
	RailRef, Reason string
	At              time.Time
}

// ErrRailInDoubt is a rail's answer when it may or may not have the instruction (a time-out, a 5xx after
// sending): the payment is IN_DOUBT, and is only ever sent again under the same id, or polled.
var ErrRailInDoubt = errors.New("the rail's outcome is unknown")
