package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// The Digital Registries registries the account flows read and write (all version 1.0).
const (
	regVersion       = "1.0"
	regDomains       = "public-sector-domains"
	regCompanies     = "companies"
	regCitizens      = "citizens"
	regHospitals     = "hospitals"
	regHospitalStaff = "hospital-staff"
)

func structOf(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		panic("registration: registry query of non-JSON values: " + err.Error()) // only strings are passed
	}
	return s
}

// readRecord reads the one record matching query. found is false for NotFound; every other failure
// (Unavailable, DeadlineExceeded, PermissionDenied from the IM, …) is a 503 REGISTRY_UNAVAILABLE.
func (s *Service) readRecord(ctx context.Context, registry string, query map[string]any) (map[string]any, bool, error) {
	resp, err := s.registries.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: registry,
		VersionNumber: regVersion, Query: &registriesv1.RecordQuery{Content: structOf(query)}})
	if status.Code(err) == codes.NotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, domain.ErrRegistryUnavailable(err)
	}
	return resp.GetContent().AsMap(), true, nil
}

// upsertRecord writes fields to the record matching query, creating it if there is none (idempotent).
func (s *Service) upsertRecord(ctx context.Context, registry string, query, fields map[string]any) error {
	_, err := s.registries.UpdateOrCreateRecord(ctx, &registriesv1.UpdateOrCreateRecordRequest{RegistryName: registry,
		VersionNumber: regVersion, Query: &registriesv1.RecordQuery{Content: structOf(query)},
		Write: &registriesv1.RecordWrite{Content: structOf(fields)}})
	if status.Code(err) == codes.InvalidArgument {
		// The registry's schema refused what the caller gave (e.g. a value of the wrong form): the caller's
		// mistake, not an outage.
		return apierr.Wrap(apierr.KindInvalidArgument, "REGISTRY_REJECTED",
			"the registry refused the record: "+status.Convert(err).Message(), err)
	}
	if err != nil {
		return domain.ErrRegistryUnavailable(err)
	}
	return nil
}

// updateRecord merges fields into the record matching query; the gRPC error is returned as is.
func (s *Service) updateRecord(ctx context.Context, registry string, query, fields map[string]any) error {
	_, err := s.registries.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: registry,
		VersionNumber: regVersion, Query: &registriesv1.RecordQuery{Content: structOf(query)},
		Write: &registriesv1.RecordWrite{Content: structOf(fields)}})
	return err
}

// domainApproved reports whether the e-mail domain d (or a parent suffix of at least two labels) is in the
// public-sector domains registry.
func (s *Service) domainApproved(ctx context.Context, d string) (bool, error) {
	for _, c := range domain.DomainCandidates(d) {
		_, found, err := s.readRecord(ctx, regDomains, map[string]any{"domain": c})
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
