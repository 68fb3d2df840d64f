// Package grpcproxy is the Information Mediator's gRPC front door for building-block-to-building-block
// calls: a BB dials the IM instead of another BB, and the IM authenticates the caller, checks its rights on
// the method, logs the exchange and forwards the call, frames unchanged, to the BB that implements it.
package grpcproxy

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/msglog"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// forwardedMetadata are the only request metadata passed on: identity (as proven), request id, an end-user
// token a BB may verify itself, the Idempotency-Key, and the Messaging BB's own apiKey (a BB that sends
// e-mail through the IM — the Workflow BB's connectors — holds a key Messaging issued it, as a REST caller
// does; the REST front door forwards the same header). Trace context travels through the OTel stats handlers.
var forwardedMetadata = []string{"x-request-id", "authorization", idempotency.MetadataKey, "apikey"}

// Upstream is one building block the proxy forwards to.
type Upstream struct {
	Conn    *grpc.ClientConn
	Service mediate.Service // the service calls to this BB are checked against
}

// Proxy forwards calls by package name: /govstack.<bb>.v1.<Service>/<Method> goes to upstream <bb>.
type Proxy struct {
	Upstreams   map[string]Upstream
	Credentials authn.Credentials
	Auth        authn.Options
	Rights      mediate.Rights
	Log         *slog.Logger
	// Assert signs the IM's assertion on every forwarded call (platform/imassert); nil sends none.
	Assert *imassert.Signer
}

// ServerOptions returns the options a grpc.Server needs to act as the proxy: every method it does not
// implement itself (it implements only health) is forwarded.
func (p *Proxy) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.ForceServerCodecV2(newCodec()),
		grpc.UnknownServiceHandler(p.handle),
	}
}

func (p *Proxy) handle(_ any, in grpc.ServerStream) error {
	ctx := in.Context()
	method, ok := grpc.MethodFromServerStream(in)
	if !ok {
		return status.Error(codes.Internal, "no method name on the stream")
	}
	up, ok := p.Upstreams[bbOf(method)]
	if !ok {
		return status.Errorf(codes.Unimplemented, "the IM routes no building block for %s", method)
	}
	client, err := authn.AuthenticateGRPC(ctx, p.Credentials, p.Auth)
	if err != nil {
		return err
	}
	if client.IsZero() {
		return status.Error(codes.Unauthenticated, "BB-to-BB calls through the IM need an authenticated client: "+
			"x-govstack-client with a client certificate or an x-govstack-api-key")
	}
	// The message log's stream interceptor records the proven client and the service, not the claim.
	msglog.AnnotateClient(ctx, client)
	msglog.Annotate(ctx, up.Service.Key(), method)
	if err := mediate.Check(ctx, p.Rights, client, up.Service, method); err != nil {
		return err
	}
	out, cancel := context.WithCancel(mediate.VouchPersonalData(outgoing(ctx, client), p.Rights, client, up.Service))
	defer cancel()
	if p.Assert != nil {
		if out, err = p.Assert.Outgoing(out, method, client); err != nil {
			return status.Error(codes.Internal, "the IM could not sign the call")
		}
	}
	cs, err := up.Conn.NewStream(out, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method,
		grpc.ForceCodecV2(newCodec()))
	if err != nil {
		return err
	}
	return pump(in, cs)
}

// bbOf reads the building block from a method name: "/govstack.registries.v1.X/Y" → "registries".
func bbOf(method string) string {
	parts := strings.SplitN(strings.TrimPrefix(method, "/"), ".", 4)
	if len(parts) < 4 || parts[0] != "govstack" {
		return ""
	}
	return parts[1]
}

func outgoing(ctx context.Context, client imident.Client) context.Context {
	md := metadata.MD{}
	if in, ok := metadata.FromIncomingContext(ctx); ok {
		for _, k := range forwardedMetadata {
			if v := in.Get(k); len(v) > 0 {
				md.Set(k, v...)
			}
		}
	}
	md.Set(imident.MetadataKey, client.String())
	return metadata.NewOutgoingContext(ctx, md)
}

// pump copies frames both ways until the upstream finishes, then returns its status. Headers and trailers
// go back to the caller.
func pump(in grpc.ServerStream, cs grpc.ClientStream) error {
	upErr := make(chan error, 1)
	go func() { upErr <- forwardRequests(in, cs) }()
	first := true
	for {
		f := &frame{}
		if err := cs.RecvMsg(f); err != nil {
			in.SetTrailer(cs.Trailer())
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err // the upstream's status, as it sent it
		}
		if first {
			if md, err := cs.Header(); err == nil {
				if err := in.SendHeader(md); err != nil {
					return err
				}
			}
			first = false
		}
		if err := in.SendMsg(f); err != nil {
			return err
		}
		select {
		case err := <-upErr:
			if err != nil {
				return err
			}
		default:
		}
	}
}

func forwardRequests(in grpc.ServerStream, cs grpc.ClientStream) error {
	for {
		f := &frame{}
		if err := in.RecvMsg(f); err != nil {
			if errors.Is(err, io.EOF) {
				return cs.CloseSend()
			}
			return err
		}
		if err := cs.SendMsg(f); err != nil {
			if errors.Is(err, io.EOF) {
				return nil // the upstream ended the call; RecvMsg reports its status
			}
			return err
		}
	}
}
