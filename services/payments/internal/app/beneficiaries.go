package app

import (
	"context"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// MapperChange is one beneficiary of a register or update request. For an update, empty fields are left as
// they are, and Status "0" deactivates the mapping ("1" reactivates it).
type MapperChange struct {
	Identity string
	Account  domain.RailAccount
	Status   string
}

// RegisterBeneficiaries registers mappings for the registering institution. Each beneficiary is checked on
// its own: one already registered (by anyone) or malformed is reported in the request's outcome, pushed to
// X-Callback-URL and kept for its poll twin; the others are registered. Audited.
func (s *Service) RegisterBeneficiaries(ctx context.Context, a Actor, requestID, institution string, changes []MapperChange) (domain.MapperRequest, error) {
	return s.changeMapper(ctx, a, requestID, institution, changes, true)
}

// UpdateBeneficiaries changes mappings the same institution registered; others' and unknown ones fail.
func (s *Service) UpdateBeneficiaries(ctx context.Context, a Actor, requestID, institution string, changes []MapperChange) (domain.MapperRequest, error) {
	return s.changeMapper(ctx, a, requestID, institution, changes, false)
}

func (s *Service) changeMapper(ctx context.Context, a Actor, requestID, institution string, changes []MapperChange, register bool) (domain.MapperRequest, error) {
	if err := checkMapperRequest(a, requestID, institution, changes); err != nil {
		return domain.MapperRequest{}, err
	}
	if len(changes) > s.opts.MaxBatch {
		return domain.MapperRequest{}, apierr.Invalid("TOO_MANY_BENEFICIARIES",
			fmt.Sprintf("%d beneficiaries in one request; at most %d (GOVSTACK_PAYMENTS_MAX_BATCH)", len(changes), s.opts.MaxBatch),
			apierr.FieldViolation{Field: "Beneficiaries", Description: fmt.Sprintf("at most %d", s.opts.MaxBatch)})
	}
	now := s.now()
	req := domain.MapperRequest{Tenant: a.Tenant, RequestID: requestID, Institution: institution, CreatedAt: now}
	err := s.store.InTx(ctx, func(tx Tx) error {
		ids := make([]string, len(changes))
		for i, c := range changes {
			ids[i] = c.Identity
		}
		existing, err := tx.LockBeneficiaries(ctx, a.Tenant, ids)
		if err != nil {
			return err
		}
		var save []domain.Beneficiary
		req.Failed = nil
		for _, c := range changes {
			b, reason := mapperChange(existing, c, institution, register, now)
			if reason != "" {
				req.Failed = append(req.Failed, domain.MapperFailure{Identity: c.Identity, Modality: c.Account.Modality, FSP: c.Account.FSP, Reason: reason})
				continue
			}
			b.Tenant = a.Tenant
			existing[c.Identity] = b
			save = append(save, b)
		}
		if err := tx.SaveBeneficiaries(ctx, a.Tenant, save); err != nil {
			return err
		}
		if err := tx.InsertMapperRequest(ctx, req); err != nil {
			return err
		}
		action := map[bool]string{true: "beneficiary.register", false: "beneficiary.update"}[register]
		if err := tx.Audit(ctx, s.audit(a, action, "mapper:"+requestID, map[string]any{
			"beneficiaries": len(changes), "failed": len(req.Failed), "institution": institution})); err != nil {
			return err
		}
		return s.callback(ctx, tx, a.Tenant, a.CallbackURL, domain.CallbackMapper, requestID)
	})
	return req, err
}

func checkMapperRequest(a Actor, requestID, institution string, changes []MapperChange) error {
	switch {
	case requestID == "":
		return apierr.Invalid("REQUEST_ID_REQUIRED", "RequestID is required", apierr.FieldViolation{Field: "RequestID", Description: "is required"})
	case institution == "":
		return apierr.Invalid("INSTITUTION_REQUIRED", "the registering institution is required (X-Registering-Institution-ID, or sourceBBID)",
			apierr.FieldViolation{Field: "X-Registering-Institution-ID", Description: "is required"})
	case len(changes) == 0:
		return apierr.Invalid("NO_BENEFICIARIES", "the request names no beneficiary", apierr.FieldViolation{Field: "Beneficiaries", Description: "at least one"})
	case a.CallbackURL != "":
		return domain.CheckCallbackURL(a.CallbackURL)
	}
	return nil
}

// mapperChange applies one change to the existing mappings; the reason is "" when it applies.
func mapperChange(existing map[string]domain.Beneficiary, c MapperChange, institution string, register bool, now time.Time) (domain.Beneficiary, string) {
	old, found := existing[c.Identity]
	switch {
	case register && found:
		return old, "beneficiary already registered"
	case register:
		b := domain.Beneficiary{Identity: c.Identity, Account: c.Account, Institution: institution, Active: true, UpdatedAt: now}
		return b, domain.CheckBeneficiary(b)
	case !found:
		return old, "beneficiary not registered"
	case old.Institution != institution:
		return old, fmt.Sprintf("registered by another institution (%s)", old.Institution)
	}
	b := old
	if c.Account.Modality != "" {
		b.Account.Modality = c.Account.Modality
	}
	if c.Account.FinancialAddress != "" {
		b.Account.FinancialAddress = c.Account.FinancialAddress
	}
	if c.Account.FSP != "" {
		b.Account.FSP = c.Account.FSP
	}
	switch c.Status {
	case "0":
		b.Active = false
	case "1":
		b.Active = true
	}
	b.UpdatedAt = now
	return b, domain.CheckBeneficiary(b)
}

// LookupBeneficiaries answers where functional ids are paid; unknown or inactive ones are left out.
func (s *Service) LookupBeneficiaries(ctx context.Context, a Actor, ids []string) ([]domain.Beneficiary, error) {
	if len(ids) == 0 {
		return nil, apierr.Invalid("PAYEE_REQUIRED", "name at least one payee identity", apierr.FieldViolation{Field: "payeeIdentity", Description: "is required"})
	}
	found, err := s.store.Beneficiaries(ctx, a.Tenant, ids)
	var out []domain.Beneficiary
	for _, id := range ids {
		if b, ok := found[id]; ok {
			out = append(out, b)
		}
	}
	return out, err
}

// MapperRequest reads the outcome of a register or update request.
func (s *Service) MapperRequest(ctx context.Context, a Actor, requestID string) (domain.MapperRequest, error) {
	return s.store.MapperRequest(ctx, a.Tenant, requestID)
}
