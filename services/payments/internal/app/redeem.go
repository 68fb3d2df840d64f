package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Redemption is one voucher presented at an agent or merchant: by serial and number (3.0), or by number
// alone (1.0).
type Redemption struct {
	Serial, Number, Agent string
	// expect, when set, is the amount and currency the voucher must be worth (a bill paid with it).
	expect         int64
	expectCurrency string
}

// RedeemVoucher pays a voucher once: the voucher is locked, its number checked against the HMAC, and — if it
// is active and unexpired — its reservation posted and its amount moved to merchant:<agent>, all in one
// transaction. Two redemptions of one voucher at once queue on the lock; the second finds it redeemed. A
// wrong number is counted (and blocks the voucher at the fifth) even though the redemption is refused.
// Emits voucher.redeemed; audited by serial, never by number.
func (s *Service) RedeemVoucher(ctx context.Context, a Actor, r Redemption) (domain.Voucher, error) {
	if r.Number == "" || r.Agent == "" {
		return domain.Voucher{}, apierr.Invalid("INVALID_REDEMPTION", "the voucher's number and the agent are required",
			apierr.FieldViolation{Field: "voucherSecretNumber", Description: "is required, with agentID"})
	}
	key, err := s.voucherKey(ctx)
	if err != nil {
		return domain.Voucher{}, err
	}
	var v domain.Voucher
	var refusal error
	err = s.store.InTx(ctx, func(tx Tx) error {
		var err error
		v, refusal, err = s.redeemIn(ctx, tx, a, key, r)
		return err
	})
	if err == nil {
		err = refusal
	}
	return v, err
}

// redeemIn is a redemption inside tx. A refusal (wrong number, used, expired) is returned apart from err: the
// transaction still commits what it recorded (the wrong-number count, a block).
func (s *Service) redeemIn(ctx context.Context, tx Tx, a Actor, key []byte, r Redemption) (v domain.Voucher, refusal, err error) {
	// Agents and merchants redeem vouchers other members issued: any tenant's voucher, paid in its ledger.
	if r.Serial != "" {
		v, err = tx.LockVoucher(ctx, "", r.Serial)
	} else {
		v, err = tx.LockVoucherByNumber(ctx, "", domain.HashVoucherNumber(key, r.Number))
	}
	if err != nil {
		return v, nil, err
	}
	if r.expect > 0 && (v.Amount != r.expect || v.Currency != r.expectCurrency) {
		return v, nil, apierr.FailedPrecondition(domain.ReasonAmountMismatch, "voucher "+v.Serial+" is worth "+
			domain.FormatAmount(v.Amount, v.Currency)+" "+v.Currency+"; the bill asks "+domain.FormatAmount(r.expect, r.expectCurrency))
	}
	now := s.now()
	if refusal = v.Redeem(key, r.Number, r.Agent, now); refusal == nil {
		before := v
		if refusal = s.payRedemption(ctx, tx, &v, now); refusal != nil {
			expired := v.Status == domain.VoucherExpired
			v = before // not paid: not redeemed
			v.Status = domain.VoucherActive
			if expired {
				v.Expire()
			}
		}
	}
	if refusal != nil {
		if err := tx.Audit(ctx, s.audit(a, "voucher.redeem.refused", "voucher:"+v.Serial, map[string]any{
			"agent": r.Agent, "reason": apierrReason(refusal)})); err != nil {
			return v, nil, err
		}
		return v, refusal, tx.UpdateVoucher(ctx, v) // the wrong-number count, a block
	}
	tx.Publish(domain.VoucherEvent{Voucher: v, At: now})
	if err := tx.Audit(ctx, s.audit(a, "voucher.redeem", "voucher:"+v.Serial, map[string]any{
		"agent": r.Agent, "amount": domain.FormatAmount(v.Amount, v.Currency), "currency": v.Currency})); err != nil {
		return v, nil, err
	}
	return v, nil, tx.UpdateVoucher(ctx, v)
}

// payRedemption posts the voucher's reservation and credits the agent, in the redemption's transaction.
func (s *Service) payRedemption(ctx context.Context, tx Tx, v *domain.Voucher, now time.Time) error {
	outstanding, err := tx.EnsureAccount(ctx, domain.Account{Tenant: v.Tenant, Code: domain.VouchersOutstandingCode, Currency: v.Currency})
	if err != nil {
		return err
	}
	merchant, err := tx.EnsureAccount(ctx, domain.Account{Tenant: v.Tenant, Code: domain.MerchantCode(v.AgentID), Currency: v.Currency})
	if err != nil {
		return err
	}
	v.RedemptionID = "redeem:" + v.TransferID
	_, err = tx.TryTransfers(ctx, now,
		domain.Transfer{ID: "post:" + v.TransferID, Kind: domain.TransferPost, PendingID: v.TransferID, Reference: "voucher:" + v.Serial},
		domain.Transfer{ID: v.RedemptionID, Tenant: v.Tenant, Kind: domain.TransferPosted, DebitAccount: outstanding.ID,
			CreditAccount: merchant.ID, Amount: v.Amount, Currency: v.Currency, Reference: "voucher:" + v.Serial})
	if e, ok := apierr.As(err); ok && e.Reason == domain.ReasonPendingExpired {
		v.Expire()
		return apierr.FailedPrecondition(domain.ReasonVoucherExpired, "voucher "+v.Serial+" has expired")
	}
	return err
}

func apierrReason(err error) string {
	if e, ok := apierr.As(err); ok {
		return e.Reason
	}
	return "INTERNAL"
}

// Voucher reads a voucher by serial — whoever issued it: an agent checks a voucher before accepting it. A
// voucher past its expiry reads EXPIRED even before the sweeper has released it.
func (s *Service) Voucher(ctx context.Context, _ Actor, serial string) (domain.Voucher, error) {
	v, err := s.store.Voucher(ctx, "", serial)
	if err == nil && !s.now().Before(v.ExpiresAt) {
		v.Expire()
	}
	return v, err
}
