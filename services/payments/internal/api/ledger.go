package api

import (
	"context"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/govstackbb/marketplace/platform/apierr"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Ledger implements LedgerService.
type Ledger struct {
	paymentsv1.UnimplementedLedgerServiceServer
	app *app.Service
}

// NewLedger returns the LedgerService on a.
func NewLedger(a *app.Service) *Ledger { return &Ledger{app: a} }

// GetLedgerAccount reads an account.
func (s *Ledger) GetLedgerAccount(ctx context.Context, r *paymentsv1.GetLedgerAccountRequest) (*paymentsv1.GetLedgerAccountResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	acct, err := s.app.LedgerAccount(ctx, a, r.GetCode(), r.GetCurrency())
	if err != nil {
		return nil, err
	}
	return &paymentsv1.GetLedgerAccountResponse{Account: ledgerAccount(acct)}, nil
}

// FundAccount credits a funding or budget account.
func (s *Ledger) FundAccount(ctx context.Context, r *paymentsv1.FundAccountRequest) (*paymentsv1.FundAccountResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	acct, err := s.app.FundAccount(ctx, a, r.GetCode(), r.GetCurrency(), r.GetAmount(), r.GetReference())
	if err != nil {
		return nil, err
	}
	return &paymentsv1.FundAccountResponse{Account: ledgerAccount(acct)}, nil
}

func ledgerAccount(a domain.Account) *paymentsv1.LedgerAccount {
	f := func(v int64) string { return domain.FormatAmount(v, a.Currency) }
	b := a.Balance
	return &paymentsv1.LedgerAccount{Code: a.Code, Currency: a.Currency, DebitsPending: f(b.DebitsPending),
		DebitsPosted: f(b.DebitsPosted), CreditsPending: f(b.CreditsPending), CreditsPosted: f(b.CreditsPosted),
		Available: f(b.Available()), NoOverdraft: a.DebitsMustNotExceedCredits}
}

// Rails implements RailService: the rails' callbacks.
type Rails struct {
	paymentsv1.UnimplementedRailServiceServer
	app *app.Service
}

// NewRails returns the RailService on a.
func NewRails(a *app.Service) *Rails { return &Rails{app: a} }

// RailCallback applies a rail's callback.
func (s *Rails) RailCallback(ctx context.Context, r *paymentsv1.RailCallbackRequest) (*paymentsv1.RailCallbackResponse, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	body, err := protojson.Marshal(r.GetBody())
	if err != nil {
		return nil, apierr.Invalid("INVALID_CALLBACK", "the callback body is not a JSON object")
	}
	in, err := s.app.RailCallback(ctx, r.GetRail(), body)
	if err != nil {
		return nil, err
	}
	return &paymentsv1.RailCallbackResponse{InstructionId: in.RailID, Status: string(in.Status)}, nil
}
