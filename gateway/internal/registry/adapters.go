package registry

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/platform/imident"
)

// The Store plugs straight into the gateway's authentication and mediation.
var (
	_ authn.Credentials = (*Store)(nil)
	_ mediate.Services  = (*Store)(nil)
	_ mediate.Rights    = (*Store)(nil)
)

// Service implements mediate.Services: an unknown service is mediate.ErrUnknownService.
func (s *Store) Service(ctx context.Context, provider imident.Client, code string) (mediate.Service, error) {
	svc, err := s.GetService(ctx, provider, code)
	if errors.Is(err, ErrUnknownService) {
		return mediate.Service{}, mediate.ErrUnknownService
	}
	if err != nil {
		return mediate.Service{}, err
	}
	return mediate.Service{Provider: svc.Provider, Code: svc.Code, BB: svc.BB, Enabled: svc.Enabled}, nil
}

// Allowed implements mediate.Rights with Check.
func (s *Store) Allowed(ctx context.Context, client imident.Client, svc mediate.Service, endpoint string) (bool, string, error) {
	d, err := s.Check(ctx, client, svc.Provider, svc.Code, endpoint)
	return d.Allowed, d.Reason, err
}
