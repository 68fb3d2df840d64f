// Package registry is the app's Registries port on the Digital Registries gRPC API, reached through the
// Information Mediator (platform/imclient dials it). It turns the gRPC answers into what the use cases
// understand: found or not, a refused write (400 REGISTRY_REJECTED), or an outage (503 REGISTRY_UNAVAILABLE).
package registry

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// version is the version of every registry the account flows use.
const version = "1.0"

// Client is app.Registries on a Digital Registries client.
type Client struct {
	c registriesv1.RegistriesServiceClient
}

var _ app.Registries = Client{}

// New returns the port on c.
func New(c registriesv1.RegistriesServiceClient) Client { return Client{c: c} }

func structOf(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		panic("registration: registry query of non-JSON values: " + err.Error()) // only strings are passed
	}
	return s
}

// ReadRecord reads the one record matching query. found is false for NotFound; every other failure
// (Unavailable, DeadlineExceeded, PermissionDenied from the IM, …) is a 503 REGISTRY_UNAVAILABLE.
func (r Client) ReadRecord(ctx context.Context, registry string, query map[string]any) (map[string]any, bool, error) {
	resp, err := r.c.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: registry,
		VersionNumber: version, Query: &registriesv1.RecordQuery{Content: structOf(query)}})
	if status.Code(err) == codes.NotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, domain.ErrRegistryUnavailable(err)
	}
	return resp.GetContent().AsMap(), true, nil
}

// UpsertRecord writes fields to the record matching query, creating it if there is none (idempotent).
func (r Client) UpsertRecord(ctx context.Context, registry string, query, fields map[string]any) error {
	_, err := r.c.UpdateOrCreateRecord(ctx, &registriesv1.UpdateOrCreateRecordRequest{RegistryName: registry,
		VersionNumber: version, Query: &registriesv1.RecordQuery{Content: structOf(query)},
		Write: &registriesv1.RecordWrite{Content: structOf(fields)}})
	return writeError(err)
}

// UpdateRecord merges fields into the record matching query.
func (r Client) UpdateRecord(ctx context.Context, registry string, query, fields map[string]any) error {
	_, err := r.c.UpdateRecord(ctx, &registriesv1.UpdateRecordRequest{RegistryName: registry,
		VersionNumber: version, Query: &registriesv1.RecordQuery{Content: structOf(query)},
		Write: &registriesv1.RecordWrite{Content: structOf(fields)}})
	return writeError(err)
}

// writeError: the registry's schema refusing what was written is the caller's mistake, not an outage.
func writeError(err error) error {
	if err == nil {
		return nil
	}
	if status.Code(err) == codes.InvalidArgument {
		return apierr.Wrap(apierr.KindInvalidArgument, "REGISTRY_REJECTED",
			"the registry refused the record: "+status.Convert(err).Message(), err)
	}
	return domain.ErrRegistryUnavailable(err)
}
