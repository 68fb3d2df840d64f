package api

import (
	"context"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Beneficiaries implements BeneficiaryService, the identity-account mapper.
type Beneficiaries struct {
	paymentsv1.UnimplementedBeneficiaryServiceServer
	app *app.Service
}

// NewBeneficiaries returns the BeneficiaryService on a.
func NewBeneficiaries(a *app.Service) *Beneficiaries { return &Beneficiaries{app: a} }

// RegisterBeneficiaries registers mappings.
func (s *Beneficiaries) RegisterBeneficiaries(ctx context.Context, r *paymentsv1.RegisterBeneficiariesRequest) (*paymentsv1.RegisterBeneficiariesResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	changes := make([]app.MapperChange, len(r.GetBeneficiaries()))
	for i, b := range r.GetBeneficiaries() {
		changes[i] = app.MapperChange{Identity: b.GetPayeeIdentity(), Account: domain.RailAccount{Modality: b.GetPaymentModality(),
			FinancialAddress: b.GetFinancialAddress(), FSP: b.GetBankingInstitutionCode()}}
	}
	if _, err := s.app.RegisterBeneficiaries(ctx, a, r.GetRequestId(), first(ctx, mdInstitution), changes); err != nil {
		return nil, err
	}
	return &paymentsv1.RegisterBeneficiariesResponse{ResponseCode: "00", ResponseDescription: "Request successfully received",
		RequestId: r.GetRequestId()}, nil
}

// UpdateBeneficiaries changes mappings of the same institution (sourceBBID, or X-Registering-Institution-ID).
func (s *Beneficiaries) UpdateBeneficiaries(ctx context.Context, r *paymentsv1.UpdateBeneficiariesRequest) (*paymentsv1.UpdateBeneficiariesResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	changes := make([]app.MapperChange, len(r.GetBeneficiaries()))
	for i, b := range r.GetBeneficiaries() {
		changes[i] = app.MapperChange{Identity: b.GetPayeeIdentity(), Status: b.GetStatus(), Account: domain.RailAccount{
			Modality: b.GetPaymentModality(), FinancialAddress: b.GetFinancialAddress(), FSP: b.GetBankingInstitutionCode()}}
	}
	institution := firstNonEmpty(first(ctx, mdInstitution), r.GetSourceBbId())
	if _, err := s.app.UpdateBeneficiaries(ctx, a, r.GetRequestId(), institution, changes); err != nil {
		return nil, err
	}
	return &paymentsv1.UpdateBeneficiariesResponse{ResponseCode: "00", ResponseDescription: "Beneficiary update successfully received",
		RequestId: r.GetRequestId()}, nil
}

// GetMapperResult polls the outcome of a register or update.
func (s *Beneficiaries) GetMapperResult(ctx context.Context, r *paymentsv1.GetMapperResultRequest) (*paymentsv1.GetMapperResultResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	req, err := s.app.MapperRequest(ctx, a, r.GetRequestId())
	if err != nil {
		return nil, err
	}
	return mapperResult(req), nil
}

func mapperResult(req domain.MapperRequest) *paymentsv1.GetMapperResultResponse {
	out := &paymentsv1.GetMapperResultResponse{RequestId: req.RequestID, RegisterRequestId: req.RequestID,
		NumberFailedCases: int32(len(req.Failed))}
	for _, f := range req.Failed {
		out.FailedCases = append(out.FailedCases, &paymentsv1.FailedBeneficiary{PayeeIdentity: f.Identity,
			BankingInstitutionCode: f.FSP, PaymentModality: f.Modality, FailureReason: f.Reason})
	}
	return out
}

// LookupBeneficiary answers where one functional id is paid.
func (s *Beneficiaries) LookupBeneficiary(ctx context.Context, r *paymentsv1.LookupBeneficiaryRequest) (*paymentsv1.LookupBeneficiaryResponse, error) {
	list, err := s.lookup(ctx, []string{r.GetPayeeIdentity()})
	if err != nil {
		return nil, err
	}
	return &paymentsv1.LookupBeneficiaryResponse{RequestId: r.GetRequestId(), PaymentModalityList: list}, nil
}

// LookupBeneficiaries answers where many functional ids are paid.
func (s *Beneficiaries) LookupBeneficiaries(ctx context.Context, r *paymentsv1.LookupBeneficiariesRequest) (*paymentsv1.LookupBeneficiariesResponse, error) {
	list, err := s.lookup(ctx, r.GetPayeePartyIds())
	if err != nil {
		return nil, err
	}
	return &paymentsv1.LookupBeneficiariesResponse{RequestId: r.GetRequestId(), PaymentModalityList: list}, nil
}

func (s *Beneficiaries) lookup(ctx context.Context, ids []string) ([]*paymentsv1.PaymentModality, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	bs, err := s.app.LookupBeneficiaries(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*paymentsv1.PaymentModality, 0, len(bs))
	for _, b := range bs {
		out = append(out, &paymentsv1.PaymentModality{PayeeIdentity: b.Identity, PaymentModality: b.Account.Modality,
			FinancialAddress: b.Account.FinancialAddress, BankingInstitutionCode: b.Account.FSP})
	}
	return out, nil
}
