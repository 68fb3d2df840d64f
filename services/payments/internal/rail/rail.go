// Package rail is how the Payments BB moves money outside itself: one interface for every payment rail
// (validate an account, submit an instruction idempotently under its id, poll its status, reverse it), the
// errors a caller must tell apart, and a rail speaking the GSMA Mobile Money API (MobileMoney).
//
// The rule that keeps a payment from being made twice: an instruction whose outcome is unknown (ErrInDoubt)
// is only ever re-sent under the same Instruction.ID — the rail answers a repeated id with its first answer —
// or its status is polled until the rail says what happened.
package rail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Account is where a payee is paid: the payment modality, the financial address in it (an MSISDN, a bank
// account number, a wallet id) and the financial service provider that holds it.
type Account struct{ Modality, FinancialAddress, FSP string }

// LogValue masks the financial address: account numbers never reach a log.
func (a Account) LogValue() slog.Value {
	return slog.GroupValue(slog.String("modality", a.Modality),
		slog.String("financial_address", Mask(a.FinancialAddress)), slog.String("fsp", a.FSP))
}

// String masks the financial address too, so %v in an error or a log line cannot leak it.
func (a Account) String() string {
	return fmt.Sprintf("%s:%s@%s", a.Modality, Mask(a.FinancialAddress), a.FSP)
}

// Instruction is one payment to one payee. ID is the idempotency key at the rail: the same ID is the same
// payment, however often it is sent. Amount is in minor units of Currency (ISO 4217).
type Instruction struct {
	ID        string
	Payee     Account
	Amount    int64
	Currency  string
	Reference string // the payer's reference, shown to the payee where the rail can
}

// LogValue keeps the payee masked when an instruction is logged.
func (in Instruction) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", in.ID), slog.Any("payee", in.Payee),
		slog.Int64("amount", in.Amount), slog.String("currency", in.Currency))
}

// State is where an instruction is at the rail.
type State string

// The states of an instruction. SETTLED and FAILED are final.
const (
	StatePending State = "PENDING"
	StateSettled State = "SETTLED"
	StateFailed  State = "FAILED"
)

// Final reports whether nothing will change the state any more (a reversal is a separate operation).
func (s State) Final() bool { return s == StateSettled || s == StateFailed }

// Result is what the rail says of an instruction (or, from Reverse, of its reversal).
type Result struct {
	State State
	// RailRef is the rail's reference of the transaction once it exists (for the mobile money rail, its
	// transactionReference), for reconciliation with the rail's statements.
	RailRef string
	// Reason says why an instruction failed, in the rail's words (digits of account numbers masked).
	Reason string
	// At is when the rail reports the state was reached; zero when it did not say.
	At time.Time
}

// Errors a caller tells apart with errors.Is.
var (
	// ErrInDoubt: the rail may or may not have the instruction (a time-out, a 5xx or a broken connection
	// after the request was sent). Resend only under the same ID, or poll Status.
	ErrInDoubt = errors.New("rail: outcome unknown (in doubt): resend only under the same instruction id, or poll its status")
	// ErrUnknownAccount: the payee's account does not exist at the rail. Not retryable.
	ErrUnknownAccount = errors.New("rail: unknown account")
	// ErrRejected: the rail refused or failed the instruction; a *RejectedError carries its reason. Final.
	ErrRejected = errors.New("rail: instruction rejected")
	// ErrUnknownInstruction: the rail has no instruction under this id (it never arrived, or has not yet).
	// Sending it again under the same id is safe.
	ErrUnknownInstruction = errors.New("rail: no instruction under this id at the rail")
	// ErrInvalidInstruction: the instruction cannot be sent on this rail (bad id, amount, currency or
	// modality). Nothing was sent.
	ErrInvalidInstruction = errors.New("rail: invalid instruction")
	// ErrUnavailable: the rail could not be reached or kept refusing, and nothing was accepted. Retry later.
	ErrUnavailable = errors.New("rail: unavailable")
	// ErrNotSettled: only a settled instruction can be reversed.
	ErrNotSettled = errors.New("rail: the instruction has not settled, so it cannot be reversed")
	// ErrProtocol: the rail answered something this client cannot read.
	ErrProtocol = errors.New("rail: unreadable answer")
)

// RejectedError is the rail's refusal of an instruction, with its reason. It is ErrRejected, and also
// ErrUnknownAccount when the rail did not know the payee's account.
type RejectedError struct {
	Category, Code, Description string
}

// Error returns the reason.
func (e *RejectedError) Error() string { return "rail: instruction rejected: " + e.Reason() }

// Reason is the rail's category, code and description in one line, with account-like digits masked.
func (e *RejectedError) Reason() string {
	r := e.Category + "/" + e.Code
	if e.Description != "" {
		r += ": " + e.Description
	}
	return cleanReason(r)
}

// Is makes errors.Is(err, ErrRejected) true, and errors.Is(err, ErrUnknownAccount) for an unknown account.
func (e *RejectedError) Is(target error) bool {
	return target == ErrRejected || (target == ErrUnknownAccount && e.unknownAccount())
}

// Rail is one payment rail. Every method is safe for concurrent use.
type Rail interface {
	// Name identifies the rail in logs, metrics and the BB's de-bulking.
	Name() string
	// ValidateAccount asks the rail whether the account exists and returns its holder's name
	// (ErrUnknownAccount when it does not).
	ValidateAccount(ctx context.Context, a Account) (holderName string, err error)
	// Submit sends the instruction; idempotent under in.ID. A PENDING result settles later (a callback, or
	// Status). A FAILED result comes with a *RejectedError. ErrInDoubt when the outcome is unknown.
	Submit(ctx context.Context, in Instruction) (Result, error)
	// Status is what the rail says of the instruction now; ErrUnknownInstruction when it has none. A
	// reversed instruction still reads SETTLED here: the reversal is Reverse's result.
	Status(ctx context.Context, instructionID string) (Result, error)
	// Reverse returns a settled instruction's money, at most once however often it is called: a repeated
	// call returns the reversal's current state (SETTLED once the money is back).
	Reverse(ctx context.Context, instructionID, reason string) (Result, error)
}
