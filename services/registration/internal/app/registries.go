package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// The Digital Registries registries the account flows read and write.
const (
	regDomains       = "public-sector-domains"
	regCompanies     = "companies"
	regCitizens      = "citizens"
	regHospitals     = "hospitals"
	regHospitalStaff = "hospital-staff"
)

// domainApproved reports whether the e-mail domain d (or a parent suffix of at least two labels) is in the
// public-sector domains registry.
func (s *Service) domainApproved(ctx context.Context, d string) (bool, error) {
	for _, c := range domain.DomainCandidates(d) {
		_, found, err := s.registries.ReadRecord(ctx, regDomains, map[string]any{"domain": c})
		if err != nil || found {
			return found, err
		}
	}
	return false, nil
}

func str(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}
