package domain

import (
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Bill is a government bill a biller presented; it is paid once, through a payer FI, an RTP or a voucher.
type Bill struct {
	ID, BillerID, BillerName string
	Tenant, BillerClient     string // the biller's IM member and client
	CallbackURL              string // where "mark bill paid" goes
	Status                   string // UNPAID, PAID
	DueDate                  time.Time
	AmountOnDue              int64
	AmountAfterDue           int64
	Currency                 string
	PaidAt                   time.Time
	PaymentRef, PayerFI      string
	Channel                  string // transfer, rtp, voucher
	AckStatus, AckReason     string // the biller's ACK or RJC of "mark bill paid"
	Amount                   int64  // what was paid
}

// The bill states and errors.
const (
	BillUnpaid            = "UNPAID"
	BillPaid              = "PAID"
	ReasonBillNotFound    = "BILL_NOT_FOUND"
	ReasonBillAlreadyPaid = "BILL_ALREADY_PAID"
	ReasonRTPNotFound     = "RTP_NOT_FOUND"
	ReasonRTPState        = "RTP_STATE"
)

// AmountDue is what paying the bill costs at now: the amount after the due date once it has passed.
func (b Bill) AmountDue(now time.Time) int64 {
	if !b.DueDate.IsZero() && now.After(b.DueDate) && b.AmountAfterDue > 0 {
		return b.AmountAfterDue
	}
	return b.AmountOnDue
}

// Pay records the bill paid at now by payerFI under ref.
func (b *Bill) Pay(payerFI, ref, channel string, now time.Time) error {
	if b.Status == BillPaid {
		return apierr.FailedPrecondition(ReasonBillAlreadyPaid, fmt.Sprintf("bill %s was already paid (reference %s)", b.ID, b.PaymentRef))
	}
	b.Amount = b.AmountDue(now)
	b.Status, b.PaidAt, b.PayerFI, b.PaymentRef, b.Channel = BillPaid, now, payerFI, ref, channel
	return nil
}

// PayerFICode and BillerCode are the ledger codes of a payer FI's settlement and a biller's receivables.
func PayerFICode(fi string) string    { return "payerfi:" + fi }
func BillerCode(biller string) string { return "biller:" + biller }

// RTP is a biller's request to pay a bill.
type RTP struct {
	ID, RequestID, BillID, BillerID string
	Tenant, Client, CallbackURL     string
	PayerFI, FinancialAddress       string
	AliasType, AliasID              string
	Amount                          int64
	Currency                        string
	Status                          string // PND, COM, RJC, EXP, CAN
	RejectReason, PaymentRef        string
	CreatedAt, UpdatedAt            time.Time
}

// Answer records the payer FI's answer: accepted (paid under ref) or rejected.
func (r *RTP) Answer(accepted bool, reason, ref string, now time.Time) error {
	if r.Status != "PND" {
		return apierr.FailedPrecondition(ReasonRTPState, fmt.Sprintf("request to pay %s is %s, not pending", r.ID, r.Status))
	}
	r.UpdatedAt = now
	if accepted {
		r.Status, r.PaymentRef = "COM", ref
		return nil
	}
	r.Status, r.RejectReason = "RJC", reason
	return nil
}

// BillPaidEvent is raised when a bill is paid.
type BillPaidEvent struct {
	Bill Bill
	At   time.Time
}

func (BillPaidEvent) EventType() string { return "govstack.payments.v1.bill.paid" }
