package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// VoucherSpec is one voucher to create, as the caller sent it.
type VoucherSpec struct {
	InstructionID, GroupCode, Currency, Amount, PayeeIdentity, Narration string
}

// CreatedVoucher is a voucher just made, with its number: the only time the number exists outside the
// caller's hands.
type CreatedVoucher struct {
	domain.Voucher
	Number string
}

// voucherKey is the HMAC key of voucher numbers: Options.VoucherKey, or the database's own.
type voucherKey struct {
	mu  sync.Mutex
	key []byte
}

func (s *Service) voucherKey(ctx context.Context) ([]byte, error) {
	s.vkey.mu.Lock()
	defer s.vkey.mu.Unlock()
	if s.vkey.key == nil {
		if len(s.opts.VoucherKey) > 0 {
			s.vkey.key = s.opts.VoucherKey
		} else {
			k, err := s.store.VoucherKey(ctx)
			if err != nil {
				return nil, err
			}
			s.vkey.key = k
		}
	}
	return s.vkey.key, nil
}

// CreateVouchers pre-activates vouchers for program: each gets a random number (returned here, stored only
// as an HMAC) and a serial number, and reserves its amount from budget:<program> until it is redeemed,
// cancelled or expires (Options.VoucherLifetime). The budget short: nothing is created (BUDGET_EXHAUSTED).
// Emits voucher.preactivated; audited by serial.
func (s *Service) CreateVouchers(ctx context.Context, a Actor, program string, specs []VoucherSpec) ([]CreatedVoucher, error) {
	if program == "" {
		program = "default"
	}
	key, err := s.voucherKey(ctx)
	if err != nil {
		return nil, err
	}
	out, err := s.newVouchers(a, program, key, specs)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		serials, err := tx.NextVoucherSerials(ctx, len(out))
		if err != nil {
			return err
		}
		now, vs := s.now(), make([]domain.Voucher, len(out))
		var ts []domain.Transfer
		for i := range out {
			out[i].Serial, out[i].TransferID = serials[i], "voucher:"+a.Tenant+":"+serials[i]
			budget, outstanding, err := s.voucherAccounts(ctx, tx, a.Tenant, program, out[i].Currency)
			if err != nil {
				return err
			}
			ts = append(ts, domain.Transfer{ID: out[i].TransferID, Tenant: a.Tenant, Kind: domain.TransferPending,
				DebitAccount: budget, CreditAccount: outstanding, Amount: out[i].Amount, Currency: out[i].Currency,
				ExpiresAt: out[i].ExpiresAt, Reference: "voucher:" + serials[i]})
			vs[i] = out[i].Voucher
			tx.Publish(domain.VoucherEvent{Voucher: vs[i], At: now})
		}
		if _, err := tx.ApplyTransfers(ctx, now, ts...); err != nil {
			if e, ok := apierr.As(err); ok && e.Reason == domain.ReasonInsufficientFunds {
				return apierr.Wrap(apierr.KindFailedPrecondition, domain.ReasonBudgetExhausted,
					fmt.Sprintf("the budget of program %s cannot fund these vouchers: %s", program, e.Message), err)
			}
			return err
		}
		if err := tx.InsertVouchers(ctx, vs); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "voucher.preactivate", "program:"+program, map[string]any{
			"serials": serials, "count": len(vs)}))
	})
	return out, err
}

// newVouchers checks the specs and draws each voucher's number.
func (s *Service) newVouchers(a Actor, program string, key []byte, specs []VoucherSpec) ([]CreatedVoucher, error) {
	if len(specs) == 0 {
		return nil, apierr.Invalid("NO_VOUCHERS", "the request names no voucher", apierr.FieldViolation{Field: "voucherInstructions", Description: "at least one"})
	}
	now := s.now()
	out := make([]CreatedVoucher, len(specs))
	for i, sp := range specs {
		field := fmt.Sprintf("voucherInstructions[%d]", i)
		cur, err := domain.ParseCurrency(field+".currency", sp.Currency)
		if err != nil {
			return nil, err
		}
		amount, err := domain.ParseAmount(field+".amount", sp.Amount, cur)
		if err != nil {
			return nil, err
		}
		number, err := domain.NewVoucherNumber()
		if err != nil {
			return nil, err
		}
		out[i] = CreatedVoucher{Number: number, Voucher: domain.Voucher{Tenant: a.Tenant, Client: a.Client,
			InstructionID: sp.InstructionID, GroupCode: sp.GroupCode, PayeeIdentity: sp.PayeeIdentity, ProgramID: program,
			Narration: sp.Narration, Currency: cur, Amount: amount, Status: domain.VoucherPreActivated,
			NumberHash: domain.HashVoucherNumber(key, number), ExpiresAt: now.Add(s.opts.VoucherLifetime), CreatedAt: now}}
	}
	return out, nil
}

// voucherAccounts are the ledger accounts of a program's vouchers: its budget (never overdrawn) and what
// vouchers owe their holders.
func (s *Service) voucherAccounts(ctx context.Context, tx Tx, tenant, program, currency string) (budget, outstanding string, err error) {
	b, err := tx.EnsureAccount(ctx, domain.Account{Tenant: tenant, Code: domain.BudgetCode(program), Currency: currency, DebitsMustNotExceedCredits: true})
	if err != nil {
		return "", "", err
	}
	o, err := tx.EnsureAccount(ctx, domain.Account{Tenant: tenant, Code: domain.VouchersOutstandingCode, Currency: currency})
	return b.ID, o.ID, err
}

// VoucherFailure is one voucher a change could not apply to: why, in words and as the error's reason.
type VoucherFailure struct{ Serial, Reason, Code string }

// ChangeVouchers activates, suspends or cancels vouchers by serial, each on its own: what cannot change is
// reported, the rest changes. A cancellation releases the voucher's reservation. Emits voucher.activated,
// .suspended, .cancelled; audited.
func (s *Service) ChangeVouchers(ctx context.Context, a Actor, command string, serials []string) ([]VoucherFailure, error) {
	change := map[string]func(*domain.Voucher) error{"activate": (*domain.Voucher).Activate,
		"suspend": (*domain.Voucher).Suspend, "cancel": (*domain.Voucher).Cancel}[command]
	if change == nil {
		return nil, apierr.Invalid("INVALID_COMMAND", fmt.Sprintf("command %q: use activate, suspend or cancel", command),
			apierr.FieldViolation{Field: "command", Description: "activate, suspend or cancel"})
	}
	if len(serials) == 0 {
		return nil, apierr.Invalid("NO_VOUCHERS", "name at least one voucher serial number", apierr.FieldViolation{Field: "serialNumber", Description: "is required"})
	}
	var failed []VoucherFailure
	err := s.store.InTx(ctx, func(tx Tx) error {
		failed = nil
		now := s.now()
		for _, serial := range serials {
			v, err := tx.LockVoucher(ctx, a.Tenant, serial)
			if err == nil {
				err = s.changeVoucher(ctx, tx, &v, change, now)
			}
			if err != nil && apierr.KindOf(err) == apierr.KindInternal {
				return err
			}
			if err != nil {
				e, _ := apierr.As(err)
				failed = append(failed, VoucherFailure{Serial: serial, Reason: e.Message, Code: e.Reason})
			}
		}
		return tx.Audit(ctx, s.audit(a, "voucher."+command, "vouchers", map[string]any{"serials": serials, "failed": len(failed)}))
	})
	return failed, err
}

func (s *Service) changeVoucher(ctx context.Context, tx Tx, v *domain.Voucher, change func(*domain.Voucher) error, now time.Time) error {
	before := v.Status
	if err := change(v); err != nil || v.Status == before {
		return err
	}
	if v.Status == domain.VoucherCancelled {
		if _, err := tx.ApplyTransfers(ctx, now, domain.Transfer{ID: "cancel:" + v.TransferID, Kind: domain.TransferVoid,
			PendingID: v.TransferID, Reference: "voucher:" + v.Serial}); err != nil {
			return err
		}
	}
	tx.Publish(domain.VoucherEvent{Voucher: *v, At: now})
	return tx.UpdateVoucher(ctx, *v)
}
