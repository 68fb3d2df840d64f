package domain

import (
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// A batch is a list of credit instructions from one payer, in one currency. It is validated (each payee's
// account checked with its rail), authorised (its valid total moved once from the payer's funding account to
// the batch's clearing account, after one or two approvers), paid (each instruction through its rail) and
// completed (what is left in the clearing account goes back).

// BatchStatus is where a batch is in that life.
type BatchStatus string

const (
	BatchReceived         BatchStatus = "RECEIVED"          // accepted; accounts being validated
	BatchValidated        BatchStatus = "VALIDATED"         // every instruction valid or invalid; awaiting authorisation
	BatchAwaitingApproval BatchStatus = "AWAITING_APPROVAL" // approved once; a second approver is needed
	BatchAuthorized       BatchStatus = "AUTHORIZED"        // funds reserved in the clearing account; paying
	BatchCompleted        BatchStatus = "COMPLETED"         // every instruction settled or failed; rest returned
	BatchRejected         BatchStatus = "REJECTED"          // authorisation refused (no funds): nothing paid
)

// Batch is the aggregate of a bulk payment.
type Batch struct {
	ID, Tenant string
	Client     string // the IM client that handed it over
	// CorrelationID is the X-CorrelationID (or Idempotency-Key) it was handed over with.
	CorrelationID, CallbackURL, ProgramID, Institution string
	Payer                                              string // payerIdentifier: the funding account is funding:<payer>
	Currency                                           string
	Status                                             BatchStatus
	ApprovalsRequired                                  int
	Approvals                                          []Approval
	// Authorized is Y once the funds are reserved, N when refused; "" before.
	Authorized, AuthReason, AuthCorrelationID                string
	CreatedAt, ValidatedAt, AuthorizedAt, CompletedAt        time.Time
	Stats                                                    BatchStats // read from the instructions, not stored
	ClearingTransferID, ReleaseTransferID, ClearingAccountID string
}

// Approval is one approver's yes to a batch's authorisation.
type Approval struct {
	Subject, Name string
	At            time.Time
}

// BatchStats counts a batch's instructions by outcome, with their amounts.
type BatchStats struct {
	Total, Received, Valid, Invalid, Ongoing, Completed, Failed int
	// ValidAmount counts every instruction past validation that was not refused: valid, in flight, settled or failed.
	TotalAmount, ValidAmount, InvalidAmount, OngoingAmount, CompletedAmount, FailedAmount int64
}

// The batch errors' reasons.
const (
	ReasonBatchNotFound        = "BATCH_NOT_FOUND"
	ReasonBatchState           = "BATCH_STATE"
	ReasonDuplicateInstruction = "DUPLICATE_INSTRUCTIONS"
	ReasonAmountMismatch       = "AMOUNT_MISMATCH"
	ReasonAlreadyApproved      = "ALREADY_APPROVED"
)

// Approve records approver's yes at now. It returns true when the batch has the approvals it needs and its
// funds should now be reserved. The same person approving twice is refused: four eyes are two people.
func (b *Batch) Approve(approver Approval) (ready bool, err error) {
	switch b.Status {
	case BatchValidated, BatchAwaitingApproval:
	case BatchReceived:
		return false, apierr.FailedPrecondition(ReasonBatchState, "the batch's accounts are still being validated; authorise it once validation is done")
	default:
		return false, apierr.FailedPrecondition(ReasonBatchState, fmt.Sprintf("the batch is %s; only a validated batch can be authorised", b.Status))
	}
	for _, a := range b.Approvals {
		if a.Subject == approver.Subject {
			return false, apierr.FailedPrecondition(ReasonAlreadyApproved,
				"you already approved this batch; a second, different approver must authorise it (four eyes)")
		}
	}
	b.Approvals = append(b.Approvals, approver)
	if len(b.Approvals) < b.ApprovalsRequired {
		b.Status = BatchAwaitingApproval
		return false, nil
	}
	return true, nil
}

// Authorize records the outcome of reserving the funds: Y moves the batch to paying, N rejects it.
func (b *Batch) Authorize(ok bool, reason string, now time.Time) {
	b.AuthorizedAt, b.AuthReason = now, reason
	if ok {
		b.Status, b.Authorized = BatchAuthorized, "Y"
		return
	}
	b.Status, b.Authorized = BatchRejected, "N"
}

// Complete marks a paid batch done.
func (b *Batch) Complete(now time.Time) { b.Status, b.CompletedAt = BatchCompleted, now }

// Terminal reports whether nothing more happens to the batch.
func (b Batch) Terminal() bool { return b.Status == BatchCompleted || b.Status == BatchRejected }

// ClearingCode is the ledger code of the batch's clearing account.
func (b Batch) ClearingCode() string { return "clearing:batch:" + b.ID }

// FundingCode is the ledger code of the funding account of payer.
func FundingCode(payer string) string { return "funding:" + payer }

// ExternalCode is the ledger code of a tenant's settlement account with the outside world (the treasury's
// deposits come from it); it may be overdrawn.
const ExternalCode = "external"

// RailCode is the ledger code of what was paid out through a rail.
func RailCode(rail string) string { return "rail:" + rail }
