// Package mediate is the Information Mediator's core on the path of every call to a building block: it
// routes /r1/{instance}/{class}/{member}/{subsystem}/{service}/... to the provider's BB, and checks the
// caller's access rights at the gRPC hop the gateway makes to the BB — one place for REST and for BB-to-BB
// gRPC calls, with the endpoint named by its gRPC method.
package mediate

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/imident"
)

// Service is one service in the IM's registry: what a provider subsystem offers under a service code.
type Service struct {
	Provider imident.Client
	Code     string // e.g. "registries"
	BB       string // the building block that implements it
	Enabled  bool
}

// Key names the service as the message log and metrics show it: "INSTANCE/CLASS/MEMBER/SUBSYSTEM/CODE".
func (s Service) Key() string { return s.Provider.String() + "/" + s.Code }

// ErrUnknownService is returned by Services for a provider and code that are not registered.
var ErrUnknownService = errors.New("unknown service")

// Services resolves a provider's service code (the IM service registry).
type Services interface {
	Service(ctx context.Context, provider imident.Client, code string) (Service, error)
}

// Rights decides whether a client may call one endpoint of a service: deny by default.
type Rights interface {
	Allowed(ctx context.Context, client imident.Client, s Service, endpoint string) (ok bool, reason string, err error)
}

type targetKey struct{}

// WithTarget records the service a request was routed to.
func WithTarget(ctx context.Context, s Service) context.Context {
	return context.WithValue(ctx, targetKey{}, s)
}

// TargetFrom returns the service a request was routed to, if it came through /r1.
func TargetFrom(ctx context.Context) (Service, bool) {
	s, ok := ctx.Value(targetKey{}).(Service)
	return s, ok
}
