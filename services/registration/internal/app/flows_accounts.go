package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// accountFlows returns the account services' hooks into the e-services engine, by service key: a
// GovStack application submitted to one of them runs the account flow, which records the file.
func (s *Service) accountFlows() map[string]Flow {
	return map[string]Flow{
		domain.ServiceBuyerAccount: {Submit: func(ctx context.Context, sub Submission) (string, error) {
			reg, err := s.registerBuyer(ctx, BuyerRequest{Email: str(sub.Data, "email"), Name: str(sub.Data, "name"),
				Organisation: str(sub.Data, "organisation")})
			return reg.fileID, err
		}},
		domain.ServiceSupplierAccount: {Submit: s.submitSupplierForm},
		domain.ServiceCitizenAccount: {Submit: func(ctx context.Context, sub Submission) (string, error) {
			reg, err := s.registerCitizen(ctx, domain.Citizen{NationalID: str(sub.Data, "nationalId"),
				FirstName: str(sub.Data, "firstName"), LastName: str(sub.Data, "lastName"),
				BirthDate: str(sub.Data, "birthDate"), Email: str(sub.Data, "email"), Phone: str(sub.Data, "phone"),
				Address: str(sub.Data, "address")})
			return reg.fileID, err
		}},
		domain.ServiceDomainAccess: s.domainAccessFlow(),
	}
}

// submitSupplierForm runs the whole supplier registration at once: draft, then submit.
func (s *Service) submitSupplierForm(ctx context.Context, sub Submission) (string, error) {
	d, err := s.StartSupplier(ctx, SupplierFields{CompanyID: str(sub.Data, "companyId"),
		CompanyName: str(sub.Data, "companyName"), ContactName: str(sub.Data, "contactName"),
		ContactEmail: str(sub.Data, "contactEmail"), ContactPhone: str(sub.Data, "contactPhone"),
		LoginEmail: str(sub.Data, "loginEmail")})
	if err != nil {
		return "", err
	}
	reg, err := s.submitSupplier(ctx, d.ID)
	return reg.fileID, err
}
