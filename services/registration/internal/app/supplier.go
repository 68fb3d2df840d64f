package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// draftTTL is how long a supplier draft lives.
const draftTTL = 24 * time.Hour

// SupplierFields are a supplier draft's editable fields; empty ones are left alone.
type SupplierFields struct {
	CompanyID, CompanyName, ContactName, ContactEmail, ContactPhone, LoginEmail string
}

func (f SupplierFields) draftFields() domain.SupplierDraftFields {
	return domain.SupplierDraftFields{CompanyName: f.CompanyName, ContactName: f.ContactName,
		ContactEmail: f.ContactEmail, ContactPhone: f.ContactPhone, LoginEmail: f.LoginEmail}
}

// Draft is a supplier draft with the fields still needed.
type Draft struct {
	domain.SupplierDraft
	Missing []string
}

func withMissing(d domain.SupplierDraft) Draft { return Draft{SupplierDraft: d, Missing: d.Missing()} }

// checkCompany validates a company id and looks it up: 404 unknown, 400 dissolved, 409 already a supplier.
func (s *Service) checkCompany(ctx context.Context, raw string) (id, scheme, name string, err error) {
	id, scheme, err = domain.NormalizeCompanyID("companyId", raw)
	if err != nil {
		return "", "", "", err
	}
	rec, found, err := s.registries.ReadRecord(ctx, regCompanies, map[string]any{"companyId": id})
	if err != nil {
		return "", "", "", err
	}
	if !found {
		return "", "", "", apierr.WithField(apierr.KindNotFound, domain.ReasonCompanyNotFound,
			"company "+id+" is not in the companies registry: check the DUNS or Companies House number",
			apierr.FieldViolation{Field: "companyId", Description: "not in the companies registry"})
	}
	if str(rec, "status") == "dissolved" {
		return "", "", "", apierr.WithField(apierr.KindFailedPrecondition, domain.ReasonCompanyDissolved,
			"company "+id+" is dissolved in the companies registry and cannot register as a supplier",
			apierr.FieldViolation{Field: "companyId", Description: "the company is dissolved"})
	}
	exists, err := s.store.AccountExists(ctx, AccountKeys{CompanyID: id})
	if err != nil {
		return "", "", "", err
	}
	if exists {
		return "", "", "", errSupplierExists(id)
	}
	if sc := str(rec, "scheme"); sc != "" {
		scheme = sc
	}
	return id, scheme, str(rec, "name"), nil
}

func errSupplierExists(id string) error {
	return apierr.WithField(apierr.KindAlreadyExists, domain.ReasonSupplierExists,
		"company "+id+" already has a supplier account: ask its administrator to sign in or reset the password",
		apierr.FieldViolation{Field: "companyId", Description: "the company already has a supplier account"})
}

// StartSupplier checks the company and opens a draft with the fields given.
func (s *Service) StartSupplier(ctx context.Context, f SupplierFields) (Draft, error) {
	id, scheme, name, err := s.checkCompany(ctx, f.CompanyID)
	if err != nil {
		return Draft{}, err
	}
	d := domain.SupplierDraft{ID: domain.NewSecret(), CompanyID: id, CompanyScheme: scheme, RegisteredName: name,
		CompanyName: name, ExpiresAt: s.now().Add(draftTTL)}
	if err := d.Apply(f.draftFields()); err != nil {
		return Draft{}, err
	}
	if err := s.store.AddDraft(ctx, d, s.now()); err != nil {
		return Draft{}, err
	}
	return withMissing(d), nil
}

// GetSupplierDraft returns the draft ("check your answers").
func (s *Service) GetSupplierDraft(ctx context.Context, id string) (Draft, error) {
	d, err := s.draft(ctx, id)
	return withMissing(d), err
}

// UpdateSupplierDraft changes the given fields (a new company id is checked against the registry again,
// before the draft is locked: no row waits on a call to another BB).
func (s *Service) UpdateSupplierDraft(ctx context.Context, id string, f SupplierFields) (Draft, error) {
	if _, err := s.draft(ctx, id); err != nil {
		return Draft{}, err
	}
	var company struct{ id, scheme, name string }
	if f.CompanyID != "" {
		var err error
		if company.id, company.scheme, company.name, err = s.checkCompany(ctx, f.CompanyID); err != nil {
			return Draft{}, err
		}
	}
	var updated domain.SupplierDraft
	ok, err := s.store.UpdateDraft(ctx, id, s.now(), func(d *domain.SupplierDraft) error {
		if company.id != "" {
			d.CompanyID, d.CompanyScheme, d.RegisteredName = company.id, company.scheme, company.name
		}
		if err := d.Apply(f.draftFields()); err != nil {
			return err
		}
		updated = *d
		return nil
	})
	if err == nil && !ok {
		err = errDraftGone()
	}
	if err != nil {
		return Draft{}, err
	}
	return withMissing(updated), nil
}

// SubmitSupplier creates the supplier account from a complete draft.
func (s *Service) SubmitSupplier(ctx context.Context, id string) (Accepted, error) {
	reg, err := s.submitSupplier(ctx, id)
	return reg.accepted, err
}

func (s *Service) submitSupplier(ctx context.Context, id string) (registered, error) {
	d, err := s.draft(ctx, id)
	if err != nil {
		return registered{}, err
	}
	if missing := d.Missing(); len(missing) > 0 {
		v := make([]apierr.FieldViolation, 0, len(missing))
		for _, m := range missing {
			v = append(v, apierr.FieldViolation{Field: m, Description: "required before submitting"})
		}
		return registered{}, apierr.Invalid(domain.ReasonIncompleteDraft, "fill in the missing fields first", v...)
	}
	return s.register(ctx, newAccount{
		account: domain.Account{Email: d.LoginEmail, Name: d.ContactName, Organisation: d.CompanyName,
			Roles: []string{usertoken.RoleSupplier}, CompanyID: d.CompanyID},
		serviceKey: domain.ServiceSupplierAccount, appName: "Supplier account",
		appData: map[string]any{"companyId": d.CompanyID, "companyName": d.CompanyName, "contactName": d.ContactName,
			"contactEmail": d.ContactEmail, "contactPhone": d.ContactPhone, "loginEmail": d.LoginEmail},
		onExisting: func(existing domain.Account) error {
			if existing.CompanyID == d.CompanyID && domain.EmailKey(existing.Email) != domain.EmailKey(d.LoginEmail) {
				return errSupplierExists(d.CompanyID) // registered meanwhile by someone else
			}
			return nil
		},
		also: func(ctx context.Context, tx Tx, _ string) error {
			return tx.MarkDraftSubmitted(ctx, id, s.now())
		},
	})
}

func (s *Service) draft(ctx context.Context, id string) (domain.SupplierDraft, error) {
	d, ok, err := s.store.Draft(ctx, id, s.now())
	if err == nil && !ok {
		err = errDraftGone()
	}
	return d, err
}

func errDraftGone() error {
	return apierr.NotFound(domain.ReasonDraftNotFound,
		"no such supplier registration: it was submitted, or it expired 24 hours after it was started; start again")
}
