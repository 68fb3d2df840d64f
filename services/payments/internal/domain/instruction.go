package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// InstructionStatus is where one payment of a batch is.
type InstructionStatus string

const (
	InstructionReceived   InstructionStatus = "RECEIVED"   // awaiting account validation
	InstructionValid      InstructionStatus = "VALID"      // account validated; awaiting the batch's authorisation
	InstructionInvalid    InstructionStatus = "INVALID"    // refused before payment (unknown payee, account the rail refuses)
	InstructionSubmitting InstructionStatus = "SUBMITTING" // reserved in the ledger; being given to the rail
	InstructionSubmitted  InstructionStatus = "SUBMITTED"  // the rail took it; its outcome is awaited
	InstructionInDoubt    InstructionStatus = "IN_DOUBT"   // unknown whether the rail took it: re-sent only under its id
	InstructionCompleted  InstructionStatus = "COMPLETED"  // the rail settled it
	InstructionFailed     InstructionStatus = "FAILED"     // the rail refused or failed it; its reservation released
	InstructionReversed   InstructionStatus = "REVERSED"   // settled, then reversed
)

// InFlight reports whether the rail may still be working on the payment.
func (s InstructionStatus) InFlight() bool {
	return s == InstructionSubmitting || s == InstructionSubmitted || s == InstructionInDoubt
}

// Payee is who an instruction pays, and where.
type Payee struct {
	Identity string // the functional id, when the payee was looked up in the identity-account mapper
	Account  RailAccount
}

// Instruction is one payment of a batch.
type Instruction struct {
	BatchID string
	Seq     int
	// ID is the caller's requestId, unique per tenant across batches: the same payment handed over twice
	// is refused, not paid twice.
	ID string
	// RailID is the payment's idempotency key at the rail; it never changes, so a re-sent payment is the same one.
	RailID     string
	Tenant     string
	Payee      Payee
	Rail       string
	Amount     int64
	Currency   string
	Narration  string
	References map[string]string
	Status     InstructionStatus
	Reason     string
	RailRef    string
	Attempts   int
	// TransferID is the pending ledger transfer reserving its amount from the clearing account.
	TransferID               string
	SubmittedAt, CompletedAt time.Time
}

// LedgerAction is what an outcome does to the instruction's pending transfer.
type LedgerAction int

const (
	LedgerNone LedgerAction = iota
	LedgerPost
	LedgerVoid
)

// Reserve marks the instruction as reserved by pending transfer id and about to be given to its rail.
func (in *Instruction) Reserve(transferID string, now time.Time) {
	in.Status, in.TransferID, in.SubmittedAt = InstructionSubmitting, transferID, now
	in.Attempts++
}

// Apply records what the rail says of the payment, and what that means for the ledger. A report on a
// payment already settled or failed changes nothing (callbacks come late, twice, out of order); a report
// that contradicts a settled one (FAILED after SETTLED) is refused, because money the rail said it paid is
// only ever given back by a reversal.
func (in *Instruction) Apply(r RailResult, now time.Time) (LedgerAction, error) {
	switch {
	case !in.Status.InFlight():
		if in.Status == InstructionCompleted && r.State == RailFailed {
			return LedgerNone, apierr.FailedPrecondition("CONFLICTING_OUTCOME",
				fmt.Sprintf("payment %s was reported settled; a later failure report is not applied", in.ID))
		}
		return LedgerNone, nil
	case r.State == RailSettled:
		in.Status, in.CompletedAt, in.Reason = InstructionCompleted, now, ""
		in.setRef(r.RailRef)
		return LedgerPost, nil
	case r.State == RailFailed:
		in.Status, in.CompletedAt, in.Reason = InstructionFailed, now, r.Reason
		in.setRef(r.RailRef)
		return LedgerVoid, nil
	default: // PENDING: the rail has it
		in.Status = InstructionSubmitted
		in.setRef(r.RailRef)
		return LedgerNone, nil
	}
}

func (in *Instruction) setRef(ref string) {
	if ref != "" {
		in.RailRef = ref
	}
}

// Reverse records that a settled payment was given back.
func (in *Instruction) Reverse(reason string, now time.Time) error {
	if in.Status != InstructionCompleted {
		return apierr.FailedPrecondition("NOT_REVERSIBLE", fmt.Sprintf("payment %s is %s; only a settled payment can be reversed", in.ID, in.Status))
	}
	in.Status, in.Reason, in.CompletedAt = InstructionReversed, reason, now
	return nil
}

// Doubt records that it is unknown whether the rail took the payment.
func (in *Instruction) Doubt(reason string) {
	if in.Status.InFlight() {
		in.Status, in.Reason = InstructionInDoubt, reason
	}
}

// Parties reads an instruction's credit party list: "functionalId"/"payeeIdentity" names a payee of the
// identity-account mapper; otherwise "msisdn", "accountNumber", "walletId" or "financialAddress" is the
// financial address and "fsp" (or "bankingInstitutionCode") its provider.
func Parties(kv map[string]string) (identity string, account RailAccount) {
	get := func(keys ...string) string {
		for _, k := range keys {
			for key, v := range kv {
				if strings.EqualFold(key, k) && v != "" {
					return v
				}
			}
		}
		return ""
	}
	identity = get("functionalId", "payeeIdentity", "payeeFunctionalId")
	account.FinancialAddress = get("msisdn", "accountNumber", "walletId", "financialAddress", "iban")
	account.FSP = get("fsp", "bankingInstitutionCode", "fspId", "dfspId")
	return identity, account
}
