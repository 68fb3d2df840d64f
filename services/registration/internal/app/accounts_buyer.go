package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/platform/usertoken"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// BuyerRequest is a public-sector buyer's registration.
type BuyerRequest struct {
	Email, Name, Organisation string
}

// RegisterBuyer registers a buyer whose e-mail domain is an approved public-sector domain.
func (s *Service) RegisterBuyer(ctx context.Context, r BuyerRequest) (*registrationv1.Accepted, error) {
	reg, err := s.registerBuyer(ctx, r)
	return reg.accepted, err
}

func (s *Service) registerBuyer(ctx context.Context, r BuyerRequest) (registered, error) {
	email, err := domain.NormalizeEmail("email", r.Email)
	if err != nil {
		return registered{}, err
	}
	name, err := domain.CheckText("name", r.Name, 0, 200)
	if err != nil {
		return registered{}, err
	}
	org, err := domain.CheckText("organisation", r.Organisation, 0, 200)
	if err != nil {
		return registered{}, err
	}
	approved, err := s.domainApproved(ctx, domain.EmailDomain(email))
	if err != nil {
		return registered{}, err
	}
	if !approved {
		return registered{}, apierr.FailedPrecondition(domain.ReasonDomainNotApproved,
			"the e-mail domain "+domain.EmailDomain(email)+" is not an approved public-sector domain (personal e-mail "+
				"addresses cannot register as buyers): use your work address, or request access for your organisation's "+
				"domain with POST /accounts/domain-requests")
	}
	return s.register(ctx, newAccount{
		account:    domain.Account{Email: email, Name: name, Organisation: org, Roles: []string{usertoken.RoleBuyer}},
		serviceKey: domain.ServiceBuyerAccount, appName: "Public-sector buyer account",
		appData: map[string]any{"email": email, "name": name, "organisation": org},
	})
}
