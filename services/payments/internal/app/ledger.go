package app

import (
	"context"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// LedgerAccount reads an account of the caller's tenant.
func (s *Service) LedgerAccount(ctx context.Context, a Actor, code, currency string) (domain.Account, error) {
	if _, err := domain.ParseCurrency("currency", currency); err != nil {
		return domain.Account{}, err
	}
	return s.store.Account(ctx, a.Tenant, code, currency)
}

// FundAccount credits a funding or budget account of the caller's tenant from its external settlement
// account (the treasury's deposit). Audited. The transfer's id comes from the request's correlation id when
// it has one, so even a replay that bypassed the idempotency keeper could not fund twice.
func (s *Service) FundAccount(ctx context.Context, a Actor, code, currency, amount, reference string) (domain.Account, error) {
	if !strings.HasPrefix(code, "funding:") && !strings.HasPrefix(code, "budget:") || len(code) <= len("budget:") {
		return domain.Account{}, apierr.Invalid("INVALID_ACCOUNT_CODE", "only funding:<payerIdentifier> and budget:<programId> accounts are funded",
			apierr.FieldViolation{Field: "code", Description: "funding:<payerIdentifier> or budget:<programId>"})
	}
	if _, err := domain.ParseCurrency("currency", currency); err != nil {
		return domain.Account{}, err
	}
	minor, err := domain.ParseAmount("amount", amount, currency)
	if err != nil {
		return domain.Account{}, err
	}
	id := "fund:" + s.newID()
	if a.CorrelationID != "" {
		id = "fund:" + a.Tenant + ":" + a.Client + ":" + a.CorrelationID
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		ext, err := tx.EnsureAccount(ctx, domain.Account{Tenant: a.Tenant, Code: domain.ExternalCode, Currency: currency})
		if err != nil {
			return err
		}
		acct, err := tx.EnsureAccount(ctx, domain.Account{Tenant: a.Tenant, Code: code, Currency: currency, DebitsMustNotExceedCredits: true})
		if err != nil {
			return err
		}
		if _, err := tx.ApplyTransfers(ctx, s.now(), domain.Transfer{ID: id, Tenant: a.Tenant, Kind: domain.TransferPosted,
			DebitAccount: ext.ID, CreditAccount: acct.ID, Amount: minor, Currency: currency, Reference: reference}); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "ledger.fund", code, map[string]any{"amount": amount, "currency": currency, "reference": reference}))
	})
	if err != nil {
		return domain.Account{}, err
	}
	return s.store.Account(ctx, a.Tenant, code, currency)
}

// ExpireDue voids pending transfers whose time ran out (a voucher's reservation past its expiry), one per
// transaction so that a concurrent post of one does not hold up the others; a transfer posted meanwhile is
// left as it is (the database lets only one resolution in). It returns how many it expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	var due []domain.Transfer
	if err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		due, err = tx.PendingDue(ctx, s.now(), 200)
		return err
	}); err != nil {
		return 0, err
	}
	n := 0
	for _, p := range due {
		err := s.store.InTx(ctx, func(tx Tx) error {
			_, err := tx.ApplyTransfers(ctx, s.now(), domain.Transfer{ID: "expire:" + p.ID, Kind: domain.TransferExpire, PendingID: p.ID})
			if err != nil {
				return err
			}
			return s.onExpired(ctx, tx, p)
		})
		switch {
		case err == nil:
			n++
		case apierr.KindOf(err) == apierr.KindAlreadyExists:
			// resolved by someone else meanwhile
		default:
			return n, err
		}
	}
	return n, nil
}

// onExpired lets the owner of an expired reservation (a voucher) record it.
func (s *Service) onExpired(ctx context.Context, tx Tx, p domain.Transfer) error {
	v, found, err := tx.VoucherByTransfer(ctx, p.ID)
	if err != nil || !found || !v.Expire() {
		return err
	}
	tx.Publish(domain.VoucherEvent{Voucher: v, At: s.now()})
	return tx.UpdateVoucher(ctx, v)
}
