package mediate

import (
	"context"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/textcheck"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// errorDomain names the IM in the ErrorInfo of its refusals (govstack.im).
const errorDomain = "im"

// Guard checks access rights on the gateway's connection to one building block, for every call the REST
// mux makes on it: the caller (authenticated earlier, in the context) must have been granted the endpoint —
// the gRPC method — of the service the request was routed to, or of the BB's default service for paths
// outside /r1.
type Guard struct {
	BB      string  // the building block behind the connection
	Default Service // the service a path outside /r1 addresses
	Rights  Rights
	// AllowAnonymous lets a caller without identity through, leaving it to the BB to require one where
	// the GovStack API does. Development mode only: in production anonymous callers are refused.
	AllowAnonymous bool
	// Annotate, when set, is told the service and endpoint of each call (the message log's hook).
	Annotate func(ctx context.Context, service, endpoint string)
	// Assert signs the IM's assertion on every call it lets through (platform/imassert): the BB refuses
	// calls without one. Nil sends none (tests of the guard alone).
	Assert *imassert.Signer
}

// Check decides one call of method; it also tells the request's rest.Info which service and endpoint the
// call reached, for the message log and the metrics. The context it returns is the one to call the BB with:
// it tells the BB whether the client holds the personal-data right (VouchPersonalData).
func (g Guard) Check(ctx context.Context, method string) (context.Context, error) {
	s, routed := TargetFrom(ctx)
	if !routed {
		s = g.Default
	}
	info := rest.InfoFrom(ctx)
	info.Service, info.Endpoint = s.Key(), method
	if g.Annotate != nil {
		g.Annotate(ctx, s.Key(), method)
	}
	if s.BB != g.BB {
		return ctx, refuse(apierr.NotFound("NO_SUCH_ENDPOINT",
			"service "+s.Key()+" has no such endpoint; GET …/listMethods shows its endpoints"))
	}
	client, ok := imident.FromContext(ctx)
	if !ok {
		if g.AllowAnonymous {
			return g.sign(ctx, method, imident.Client{})
		}
		return ctx, refuse(apierr.Unauthenticated("CLIENT_REQUIRED",
			"calls to "+s.Key()+" need an authenticated client: send X-GovStack-Client with a client certificate or an X-GovStack-Api-Key"))
	}
	if err := Check(ctx, g.Rights, client, s, method); err != nil {
		return ctx, err
	}
	return g.sign(VouchPersonalData(ctx, g.Rights, client, s), method, client)
}

// sign adds the IM's assertion for the call to the outgoing metadata.
func (g Guard) sign(ctx context.Context, method string, client imident.Client) (context.Context, error) {
	if g.Assert == nil {
		return ctx, nil
	}
	ctx, err := g.Assert.Outgoing(ctx, method, client)
	if err != nil {
		return ctx, refuse(apierr.Wrap(apierr.KindInternal, "ASSERTION_FAILED", "the IM could not sign the call", err))
	}
	return ctx, nil
}

// VouchPersonalData marks the outgoing call as made by a client that holds the personal-data right on s
// (imident.PersonalDataEndpoint, granted by name only), so the BB may show it any person's data. Without
// the right — or when the registry cannot be asked — the call goes unmarked and the BB applies its
// person-by-person rules: failing closed.
func VouchPersonalData(ctx context.Context, rights Rights, client imident.Client, s Service) context.Context {
	if ok, _, err := rights.Allowed(ctx, client, s, imident.PersonalDataEndpoint); err == nil && ok {
		return imident.WithPersonalDataRight(ctx)
	}
	return ctx
}

// Check asks rights whether client may call endpoint of s and turns a refusal into the status the caller
// sees: 403 with the reason, or 503 when the registry cannot be asked.
func Check(ctx context.Context, rights Rights, client imident.Client, s Service, endpoint string) error {
	ok, reason, err := rights.Allowed(ctx, client, s, endpoint)
	switch {
	case err != nil:
		return refuse(apierr.Unavailable("RIGHTS_UNAVAILABLE", "the IM cannot check access rights right now; retry shortly"))
	case !ok:
		msg := client.String() + " has no access to " + endpoint + " of " + s.Key()
		if reason != "" {
			msg += ": " + reason
		}
		return refuse(apierr.PermissionDenied("ACCESS_DENIED", msg+"; ask the provider to grant it"))
	}
	return nil
}

func refuse(err error) error { return grpcerr.ToStatus(errorDomain, err).Err() }

// Conn is a BB connection whose every call passes the guard first. grpc-gateway's generated
// Register…HandlerClient functions take a client built on it.
type Conn struct {
	Conn  *grpc.ClientConn
	Guard Guard
}

// Invoke checks the call, then makes it. A request holding text Postgres cannot store is refused here too:
// the REST checks refuse it first (rest/check.go), but a string that is not UTF-8 would otherwise fail
// gRPC's own marshalling as an internal error.
func (c Conn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	ctx, err := c.Guard.Check(ctx, method)
	if err != nil {
		return err
	}
	if m, ok := args.(proto.Message); ok {
		if err := textcheck.Error(textcheck.Message(m)); err != nil {
			return refuse(err)
		}
	}
	return c.Conn.Invoke(ctx, method, args, reply, opts...)
}

// NewStream checks the call, then opens the stream.
func (c Conn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	ctx, err := c.Guard.Check(ctx, method)
	if err != nil {
		return nil, err
	}
	return c.Conn.NewStream(ctx, desc, method, opts...)
}
