package api

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// Accounts serves the account flows.
type Accounts struct {
	registrationv1.UnimplementedAccountServiceServer
	app *app.Service
}

// NewAccounts returns the handlers on a.
func NewAccounts(a *app.Service) *Accounts { return &Accounts{app: a} }

// RegisterBuyer starts a public-sector buyer account.
func (h *Accounts) RegisterBuyer(ctx context.Context, r *registrationv1.RegisterBuyerRequest) (*registrationv1.RegisterBuyerResponse, error) {
	acc, err := h.app.RegisterBuyer(ctx, app.BuyerRequest{Email: r.GetEmail(), Name: r.GetName(), Organisation: r.GetOrganisation()})
	if err != nil {
		return nil, err
	}
	return &registrationv1.RegisterBuyerResponse{Accepted: acceptedPB(acc)}, nil
}

// RequestDomainAccess asks for a domain to be approved.
func (h *Accounts) RequestDomainAccess(ctx context.Context, r *registrationv1.RequestDomainAccessRequest) (*registrationv1.RequestDomainAccessResponse, error) {
	id, err := h.app.RequestDomainAccess(ctx, app.DomainAccessRequest{Email: r.GetEmail(), Name: r.GetName(),
		Organisation: r.GetOrganisation(), Reason: r.GetReason()})
	if err != nil {
		return nil, err
	}
	return &registrationv1.RequestDomainAccessResponse{Request: &registrationv1.DomainAccessRequested{FileId: id,
		Message: "Your request is with the administrators. We'll e-mail you their decision, with a registration link if the domain is approved."}}, nil
}

// StartSupplier opens a supplier draft.
func (h *Accounts) StartSupplier(ctx context.Context, r *registrationv1.StartSupplierRequest) (*registrationv1.StartSupplierResponse, error) {
	d, err := h.app.StartSupplier(ctx, app.SupplierFields{CompanyID: r.GetCompanyId(), CompanyName: r.GetCompanyName(),
		ContactName: r.GetContactName(), ContactEmail: r.GetContactEmail(), ContactPhone: r.GetContactPhone(), LoginEmail: r.GetLoginEmail()})
	if err != nil {
		return nil, err
	}
	return &registrationv1.StartSupplierResponse{Draft: draftPB(d)}, nil
}

// GetSupplierDraft returns a draft.
func (h *Accounts) GetSupplierDraft(ctx context.Context, r *registrationv1.GetSupplierDraftRequest) (*registrationv1.GetSupplierDraftResponse, error) {
	d, err := h.app.GetSupplierDraft(ctx, r.GetDraftId())
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetSupplierDraftResponse{Draft: draftPB(d)}, nil
}

// UpdateSupplierDraft changes a draft's fields.
func (h *Accounts) UpdateSupplierDraft(ctx context.Context, r *registrationv1.UpdateSupplierDraftRequest) (*registrationv1.UpdateSupplierDraftResponse, error) {
	d, err := h.app.UpdateSupplierDraft(ctx, r.GetDraftId(), app.SupplierFields{CompanyID: r.GetCompanyId(),
		CompanyName: r.GetCompanyName(), ContactName: r.GetContactName(), ContactEmail: r.GetContactEmail(),
		ContactPhone: r.GetContactPhone(), LoginEmail: r.GetLoginEmail()})
	if err != nil {
		return nil, err
	}
	return &registrationv1.UpdateSupplierDraftResponse{Draft: draftPB(d)}, nil
}

// SubmitSupplier creates the supplier account.
func (h *Accounts) SubmitSupplier(ctx context.Context, r *registrationv1.SubmitSupplierRequest) (*registrationv1.SubmitSupplierResponse, error) {
	acc, err := h.app.SubmitSupplier(ctx, r.GetDraftId())
	if err != nil {
		return nil, err
	}
	return &registrationv1.SubmitSupplierResponse{Accepted: acceptedPB(acc)}, nil
}

// RegisterCitizen registers a citizen.
func (h *Accounts) RegisterCitizen(ctx context.Context, r *registrationv1.RegisterCitizenRequest) (*registrationv1.RegisterCitizenResponse, error) {
	c := r.GetCitizen()
	acc, err := h.app.RegisterCitizen(ctx, domain.Citizen{NationalID: c.GetNationalId(), FirstName: c.GetFirstName(),
		LastName: c.GetLastName(), BirthDate: c.GetBirthDate(), Email: c.GetEmail(), Phone: c.GetPhone(), Address: c.GetAddress()})
	if err != nil {
		return nil, err
	}
	return &registrationv1.RegisterCitizenResponse{Accepted: acceptedPB(acc)}, nil
}

// RegisterStaff registers hospital staff in bulk.
func (h *Accounts) RegisterStaff(ctx context.Context, r *registrationv1.RegisterStaffRequest) (*registrationv1.RegisterStaffResponse, error) {
	res, err := h.app.RegisterStaff(ctx, r.GetHospitalId(), r.GetCsv(), staffRows(r.GetRows()))
	if err != nil {
		return nil, err
	}
	return &registrationv1.RegisterStaffResponse{Registered: int32(res.Registered), Failed: int32(res.Failed), Rows: staffResultsPB(res.Rows)}, nil
}

// CheckActivation tells whether a link still works.
func (h *Accounts) CheckActivation(ctx context.Context, r *registrationv1.CheckActivationRequest) (*registrationv1.CheckActivationResponse, error) {
	st, err := h.app.CheckActivation(ctx, r.GetToken())
	if err != nil {
		return nil, err
	}
	out := &registrationv1.CheckActivationResponse{Valid: st.Valid, Purpose: st.Purpose}
	if st.Valid {
		out.ExpiresAt = timestamppb.New(st.ExpiresAt)
	}
	return out, nil
}

// Activate sets the password from an activation link.
func (h *Accounts) Activate(ctx context.Context, r *registrationv1.ActivateRequest) (*registrationv1.ActivateResponse, error) {
	a, err := h.app.Activate(ctx, r.GetToken(), r.GetPassword())
	if err != nil {
		return nil, err
	}
	return &registrationv1.ActivateResponse{Account: accountPB(a)}, nil
}

// GetMe returns the signed-in account.
func (h *Accounts) GetMe(ctx context.Context, _ *registrationv1.GetMeRequest) (*registrationv1.GetMeResponse, error) {
	a, err := h.app.GetMe(ctx)
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetMeResponse{Account: accountPB(a)}, nil
}
