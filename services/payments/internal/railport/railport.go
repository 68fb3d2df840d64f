// Package railport adapts the rails of package rail (the GSMA Mobile Money client) to the app's Rail port:
// domain types in and out, and the rail's errors sorted into the two the use cases act on — a final refusal
// (the payment fails, its reservation is voided) and domain.ErrRailInDoubt (the payment is only ever re-sent
// under the same id, or polled).
package railport

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/rail"
)

// MobileMoney is a rail.MobileMoney as an app.Rail.
type MobileMoney struct{ R *rail.MobileMoney }

var _ app.Rail = MobileMoney{}

// Name is the rail's name: its ledger account is rail:<name>, its callbacks come to /rails/<name>/callbacks.
func (m MobileMoney) Name() string { return m.R.Name() }

// ValidateAccount asks the rail for the holder's name. An unknown account or one this rail cannot pay is a
// refusal; anything else (the rail unreachable, an unreadable answer) is in doubt, so validation asks again.
func (m MobileMoney) ValidateAccount(ctx context.Context, a domain.RailAccount) (string, error) {
	name, err := m.R.ValidateAccount(ctx, account(a))
	if err != nil && !final(err) {
		return "", errors.Join(domain.ErrRailInDoubt, err)
	}
	return name, err
}

// Submit sends the payment under its id. The rail's refusal is a FAILED result (with the rail's reason), not
// an error; every error that is not a refusal is in doubt: a 429 or a refused dial sent nothing, but
// re-sending under the same id is safe either way, and only the reconciliation may decide.
func (m MobileMoney) Submit(ctx context.Context, in domain.RailInstruction) (domain.RailResult, error) {
	r, err := m.R.Submit(ctx, rail.Instruction{ID: in.ID, Payee: account(in.Payee), Amount: in.Amount,
		Currency: in.Currency, Reference: in.Reference})
	return outcome(r, err)
}

// Status is what the rail says of the payment now; rail.ErrUnknownInstruction (never received) is an error,
// on which the reconciliation re-sends it under its id.
func (m MobileMoney) Status(ctx context.Context, id string) (domain.RailResult, error) {
	return outcome(m.R.Status(ctx, id))
}

// Reverse returns a settled payment's money, once.
func (m MobileMoney) Reverse(ctx context.Context, id, reason string) (domain.RailResult, error) {
	return outcome(m.R.Reverse(ctx, id, reason))
}

// ParseCallback reads the rail's callback (a transaction or an error object).
func (m MobileMoney) ParseCallback(body []byte) (string, domain.RailResult, error) {
	id, r, err := rail.ParseCallback(body)
	return id, result(r), err
}

// outcome sorts a rail's answer: a refusal becomes a FAILED result; an instruction that cannot be sent, an
// unknown account, a reversal of what has not settled and an id the rail never received are errors as they
// are; every other error is in doubt.
func outcome(r rail.Result, err error) (domain.RailResult, error) {
	var rej *rail.RejectedError
	switch {
	case err == nil:
		return result(r), nil
	case errors.As(err, &rej):
		return domain.RailResult{State: domain.RailFailed, RailRef: r.RailRef, Reason: rej.Reason(), At: r.At}, nil
	case errors.Is(err, rail.ErrInvalidInstruction), errors.Is(err, rail.ErrUnknownAccount),
		errors.Is(err, rail.ErrNotSettled), errors.Is(err, rail.ErrUnknownInstruction):
		return domain.RailResult{}, err
	}
	return domain.RailResult{}, errors.Join(domain.ErrRailInDoubt, err)
}

// final reports whether an account check's error is the rail's definite no.
func final(err error) bool {
	var rej *rail.RejectedError
	return errors.Is(err, rail.ErrUnknownAccount) || errors.Is(err, rail.ErrInvalidInstruction) || errors.As(err, &rej)
}

func account(a domain.RailAccount) rail.Account {
	return rail.Account{Modality: a.Modality, FinancialAddress: a.FinancialAddress, FSP: a.FSP}
}

func result(r rail.Result) domain.RailResult {
	return domain.RailResult{State: domain.RailState(r.State), RailRef: r.RailRef, Reason: r.Reason, At: r.At}
}
