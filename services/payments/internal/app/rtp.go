package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// RTPSpec is a biller's request to pay, as sent.
type RTPSpec struct {
	ID, RequestID, BillID, BillerID                       string
	PayerFI, FinancialAddress, AliasType, AliasID, Amount string
}

// RequestToPay keeps a biller's request that the payer pay a bill; it is pending until the payer FI
// answers. The amount, when given, must be what the bill asks today. Audited.
func (s *Service) RequestToPay(ctx context.Context, a Actor, sp RTPSpec) (domain.RTP, error) {
	if sp.ID == "" || sp.BillID == "" {
		return domain.RTP{}, apierr.Invalid("INVALID_RTP", "rtpId and billID are required",
			apierr.FieldViolation{Field: "rtpId", Description: "is required, with billID"})
	}
	var r domain.RTP
	err := s.store.InTx(ctx, func(tx Tx) error {
		b, found, err := tx.LockBill(ctx, sp.BillID)
		if err != nil || !found {
			return orNotFound(err, found, "no bill "+sp.BillID)
		}
		if b.Status == domain.BillPaid {
			return apierr.FailedPrecondition(domain.ReasonBillAlreadyPaid, "bill "+b.ID+" is already paid")
		}
		if _, err := tx.LockRTP(ctx, sp.ID); err == nil {
			return apierr.AlreadyExists("RTP_EXISTS", "a request to pay with rtpId "+sp.ID+" exists")
		} else if apierr.KindOf(err) != apierr.KindNotFound {
			return err
		}
		now := s.now()
		due := b.AmountDue(now)
		if sp.Amount != "" {
			amount, err := domain.ParseAmount("billDetails.amount", sp.Amount, b.Currency)
			if err != nil {
				return err
			}
			if amount != due {
				return apierr.Invalid(domain.ReasonAmountMismatch, "the bill asks "+domain.FormatAmount(due, b.Currency)+" today",
					apierr.FieldViolation{Field: "billDetails.amount", Description: "must be what the bill asks today"})
			}
		}
		r = domain.RTP{ID: sp.ID, RequestID: sp.RequestID, BillID: b.ID, BillerID: firstOf(sp.BillerID, b.BillerID), Tenant: b.Tenant,
			Client: a.Client, CallbackURL: a.CallbackURL, PayerFI: sp.PayerFI, FinancialAddress: sp.FinancialAddress,
			AliasType: sp.AliasType, AliasID: sp.AliasID, Amount: due, Currency: b.Currency, Status: "PND", CreatedAt: now, UpdatedAt: now}
		if err := tx.SaveRTP(ctx, r); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "rtp.request", "rtp:"+r.ID, map[string]any{"bill": b.ID, "payerFI": sp.PayerFI}))
	})
	return r, err
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// AnswerRTP records the payer FI's answer: accepted pays the bill (as PayBill, channel rtp) in the same
// transaction; rejected ends the request. The biller is told (rtp update callback). Audited.
func (s *Service) AnswerRTP(ctx context.Context, a Actor, id string, accepted bool, reason, txnID string) (domain.RTP, error) {
	var r domain.RTP
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if r, err = tx.LockRTP(ctx, id); err != nil {
			return err
		}
		if err := r.Answer(accepted, reason, txnID, s.now()); err != nil {
			return err
		}
		if accepted {
			payer := firstOf(r.PayerFI, a.Client)
			if _, err := s.payBill(ctx, tx, a, r.BillID, payer, firstOf(txnID, "rtp:"+r.ID), "rtp"); err != nil {
				return err
			}
		}
		if err := tx.SaveRTP(ctx, r); err != nil {
			return err
		}
		if err := tx.Audit(ctx, s.audit(a, "rtp.answer", "rtp:"+r.ID, map[string]any{"status": r.Status, "reason": reason})); err != nil {
			return err
		}
		return s.callback(ctx, tx, r.Tenant, r.CallbackURL, domain.CallbackRTP, r.ID)
	})
	return r, err
}

// RTP reads a request to pay: the biller's status inquiry.
func (s *Service) RTP(ctx context.Context, _ Actor, id string) (domain.RTP, error) {
	return s.store.RTP(ctx, id)
}

// PayBillWithVoucher redeems a voucher to the bill's biller and pays the bill with it, in one transaction:
// the voucher must be worth what the bill asks today; if the bill cannot be paid, the voucher stays unused.
func (s *Service) PayBillWithVoucher(ctx context.Context, a Actor, billID, number string) (domain.Bill, error) {
	if number == "" {
		return domain.Bill{}, apierr.Invalid("INVALID_REDEMPTION", "the voucher's number is required",
			apierr.FieldViolation{Field: "VoucherSecretHash", Description: "is required"})
	}
	b, err := s.store.Bill(ctx, billID)
	if err != nil {
		return b, err
	}
	key, err := s.voucherKey(ctx)
	if err != nil {
		return b, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		v, refusal, err := s.redeemIn(ctx, tx, a, key, Redemption{Number: number, Agent: domain.BillerCode(b.BillerID),
			expect: b.AmountDue(s.now()), expectCurrency: b.Currency})
		if err == nil {
			err = refusal
		}
		if err != nil {
			return err
		}
		b, err = s.payBill(ctx, tx, a, billID, "voucher", v.Serial, "voucher")
		return err
	})
	return b, err
}
