package app

import (
	"context"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// BillSpec is a bill as its biller presents it.
type BillSpec struct {
	ID, BillerID, BillerName, Currency, AmountOnDue, AmountAfterDue string
	DueDate                                                         time.Time
}

// PresentBill keeps a biller's bill (or updates an unpaid one) for inquiries and payments. The biller's
// X-Callback-URL is where "mark bill paid" goes. Audited.
func (s *Service) PresentBill(ctx context.Context, a Actor, sp BillSpec) (domain.Bill, error) {
	if sp.ID == "" || sp.BillerID == "" {
		return domain.Bill{}, apierr.Invalid("INVALID_BILL", "billId and billDetails.billerId are required",
			apierr.FieldViolation{Field: "billDetails.billerId", Description: "is required"})
	}
	if sp.Currency == "" {
		sp.Currency = "KES"
	}
	cur, err := domain.ParseCurrency("billDetails.currency", sp.Currency)
	if err != nil {
		return domain.Bill{}, err
	}
	b := domain.Bill{ID: sp.ID, BillerID: sp.BillerID, BillerName: sp.BillerName, Tenant: a.Tenant, BillerClient: a.Client,
		CallbackURL: a.CallbackURL, Status: domain.BillUnpaid, DueDate: sp.DueDate, Currency: cur}
	if b.AmountOnDue, err = domain.ParseAmount("billDetails.amountonDueDate", sp.AmountOnDue, cur); err != nil {
		return b, err
	}
	if sp.AmountAfterDue != "" && sp.AmountAfterDue != "0" {
		if b.AmountAfterDue, err = domain.ParseAmount("billDetails.amountAfterDueDate", sp.AmountAfterDue, cur); err != nil {
			return b, err
		}
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		old, found, err := tx.LockBill(ctx, b.ID)
		switch {
		case err != nil:
			return err
		case found && old.BillerClient != a.Client:
			return apierr.PermissionDenied("NOT_THE_BILLER", "bill "+b.ID+" was presented by another biller")
		case found && old.Status == domain.BillPaid:
			return apierr.FailedPrecondition(domain.ReasonBillAlreadyPaid, "bill "+b.ID+" is paid and cannot change")
		}
		if err := tx.SaveBill(ctx, b); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "bill.present", "bill:"+b.ID, map[string]any{"amount": sp.AmountOnDue, "currency": cur}))
	})
	return b, err
}

// Bill reads a bill for an inquiry (any payer FI may inquire).
func (s *Service) Bill(ctx context.Context, _ Actor, id string) (domain.Bill, error) {
	return s.store.Bill(ctx, id)
}

// BillInquiry answers a payer FI's inquiry and pushes the answer to its X-Callback-URL when it gave one.
func (s *Service) BillInquiry(ctx context.Context, a Actor, id string) (domain.Bill, error) {
	b, err := s.store.Bill(ctx, id)
	if err != nil || a.CallbackURL == "" {
		return b, err
	}
	return b, s.store.InTx(ctx, func(tx Tx) error { return s.callback(ctx, tx, b.Tenant, a.CallbackURL, domain.CallbackBill, b.ID) })
}

// PayBill records that payerFI paid bill id under ref: one transfer payerfi:<fi> → biller:<biller> of the
// amount due (the transfer's id is the bill's, so the ledger itself refuses a second payment), bill.paid,
// and "mark bill paid" pushed to the biller. Audited.
func (s *Service) PayBill(ctx context.Context, a Actor, id, payerFI, ref, channel string) (domain.Bill, error) {
	if payerFI == "" {
		return domain.Bill{}, apierr.Invalid("PAYER_FI_REQUIRED", "the payer FI is required (X-PayerFI-Id)",
			apierr.FieldViolation{Field: "X-PayerFI-Id", Description: "is required"})
	}
	var b domain.Bill
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		b, err = s.payBill(ctx, tx, a, id, payerFI, ref, channel)
		return err
	})
	return b, err
}

func (s *Service) payBill(ctx context.Context, tx Tx, a Actor, id, payerFI, ref, channel string) (domain.Bill, error) {
	b, found, err := tx.LockBill(ctx, id)
	if err != nil {
		return b, err
	}
	if !found {
		return b, apierr.NotFound(domain.ReasonBillNotFound, "no bill "+id)
	}
	now := s.now()
	if err := b.Pay(payerFI, ref, channel, now); err != nil {
		return b, err
	}
	from, err := tx.EnsureAccount(ctx, domain.Account{Tenant: b.Tenant, Code: domain.PayerFICode(payerFI), Currency: b.Currency})
	if err != nil {
		return b, err
	}
	to, err := tx.EnsureAccount(ctx, domain.Account{Tenant: b.Tenant, Code: domain.BillerCode(b.BillerID), Currency: b.Currency})
	if err != nil {
		return b, err
	}
	if _, err := tx.ApplyTransfers(ctx, now, domain.Transfer{ID: "bill:" + b.ID, Tenant: b.Tenant, Kind: domain.TransferPosted,
		DebitAccount: from.ID, CreditAccount: to.ID, Amount: b.Amount, Currency: b.Currency, Reference: "bill:" + b.ID}); err != nil {
		return b, err
	}
	if err := tx.SaveBill(ctx, b); err != nil {
		return b, err
	}
	tx.Publish(domain.BillPaidEvent{Bill: b, At: now})
	if err := tx.Audit(ctx, s.audit(a, "bill.pay", "bill:"+b.ID, map[string]any{"payerFI": payerFI, "reference": ref,
		"channel": channel, "amount": domain.FormatAmount(b.Amount, b.Currency)})); err != nil {
		return b, err
	}
	return b, s.callback(ctx, tx, b.Tenant, b.CallbackURL, domain.CallbackBill, b.ID)
}

// AcknowledgeBillPaid records the biller's ACK or RJC of "mark bill paid".
func (s *Service) AcknowledgeBillPaid(ctx context.Context, a Actor, id, status, reason string) (domain.Bill, error) {
	if status != "ACK" && status != "RJC" {
		return domain.Bill{}, apierr.Invalid("INVALID_STATUS", fmt.Sprintf("status %q: ACK or RJC", status),
			apierr.FieldViolation{Field: "status", Description: "ACK or RJC"})
	}
	var b domain.Bill
	err := s.store.InTx(ctx, func(tx Tx) error {
		var found bool
		var err error
		if b, found, err = tx.LockBill(ctx, id); err != nil || !found {
			return orNotFound(err, found, "no bill "+id)
		}
		if b.BillerClient != a.Client {
			return apierr.PermissionDenied("NOT_THE_BILLER", "only the biller of bill "+id+" acknowledges it")
		}
		b.AckStatus, b.AckReason = status, reason
		if err := tx.SaveBill(ctx, b); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "bill.acknowledge", "bill:"+id, map[string]any{"status": status, "reason": reason}))
	})
	return b, err
}

func orNotFound(err error, found bool, msg string) error {
	if err == nil && !found {
		return apierr.NotFound(domain.ReasonBillNotFound, msg)
	}
	return err
}
