package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// BuyerRequest is a public-sector buyer's registration.
type BuyerRequest struct {
	Email, Name, Organisation string
}

// RegisterBuyer registers a buyer whose e-mail domain is an approved public-sector domain.
func (s *Service) RegisterBuyer(ctx context.Context, r BuyerRequest) (Accepted, error) {
	reg, err := s.registerBuyer(ctx, r)
	return reg.accepted, err
}

func (s *Service) registerBuyer(ctx context.Context, r BuyerRequest) (registered, error) {
	// The eMarketplace's MP-01 takes the buyer's name and organisation with the e-mail: all three are needed
	// (and every problem is told at once).
	var v []apierr.FieldViolation
	email, err := domain.NormalizeEmail("email", r.Email)
	v = appendViolations(v, err)
	name, err := domain.CheckText("name", r.Name, 1, 200)
	v = appendViolations(v, err)
	org, err := domain.CheckText("organisation", r.Organisation, 1, 200)
	v = appendViolations(v, err)
	if len(v) > 0 {
		return registered{}, apierr.Invalid(domain.ReasonInvalidField, "a buyer needs an e-mail address, a name and an organisation: see details", v...)
	}
	approved, err := s.domainApproved(ctx, domain.EmailDomain(email))
	if err != nil {
		return registered{}, err
	}
	if !approved {
		return registered{}, apierr.WithField(apierr.KindFailedPrecondition, domain.ReasonDomainNotApproved,
			"the e-mail domain "+domain.EmailDomain(email)+" is not an approved public-sector domain (personal e-mail "+
				"addresses cannot register as buyers): use your work address, or request access for your organisation's "+
				"domain with POST /accounts/domain-requests",
			apierr.FieldViolation{Field: "email", Description: "the domain is not an approved public-sector one"})
	}
	return s.register(ctx, newAccount{
		account:    domain.Account{Email: email, Name: name, Organisation: org, Roles: []string{usertoken.RoleBuyer}},
		serviceKey: domain.ServiceBuyerAccount, appName: "Public-sector buyer account",
		appData: map[string]any{"email": email, "name": name, "organisation": org},
	})
}

// appendViolations adds the field violations of err (an invalid-argument error) to v.
func appendViolations(v []apierr.FieldViolation, err error) []apierr.FieldViolation {
	if e, ok := apierr.As(err); ok {
		if len(e.Violations) == 0 {
			return append(v, apierr.FieldViolation{Description: e.Message})
		}
		return append(v, e.Violations...)
	}
	return v
}
