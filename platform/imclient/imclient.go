// Package imclient is how a building block calls another one: through the Information Mediator's gRPC
// listener, never directly (ARCHITECTURE.md §5). Every call carries the calling BB's client identity and its
// IM API key, so the IM authenticates it, checks its rights on the method and logs the exchange; request id
// and trace context travel with it.
//
//	conn, err := imclient.Dial(imclient.Options{Addr: cfg.IMAddr, Client: me, APIKey: cfg.IMAPIKey})
//	registries := registriesv1.NewRegistriesServiceClient(conn)
package imclient

import (
	"context"
	"crypto/tls"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
)

// MaxMessageBytes is the largest message one call through the IM may carry, each way, instead of gRPC's
// 4 MiB: a Registration upload of ten 5 MiB files and the answer reading one back, a Payments batch as
// large as the gateway's bulk body limit. The IM's front doors and every client of a BB allow it; the
// BBs themselves bound each request to what they accept (and answer a 400 naming the limit).
const MaxMessageBytes = 64 << 20

// APIKeyMetadata is the metadata key the IM reads an API key from.
const APIKeyMetadata = "x-govstack-api-key"

// requestIDMetadata carries the correlation id (the gateway's X-Request-Id) from call to call.
const requestIDMetadata = "x-request-id"

// Options say where the IM is and who is calling.
type Options struct {
	Addr   string         // the IM's gRPC address, e.g. 127.0.0.1:9090 (GOVSTACK_IM_GRPC_ADDR)
	Client imident.Client // the calling BB's subsystem
	APIKey string         // its IM API key; empty when it authenticates with a TLS client certificate
	TLS    *tls.Config    // nil: plaintext (inside a trusted network or on loopback)
	// Timeout is the deadline given to a call whose context has none; default 10 s.
	Timeout time.Duration
	// WaitForIM makes a call made while the IM is unreachable wait for it (until the call's deadline)
	// instead of failing at once. For background work, whose failed call would spend one of a job's
	// retries on what is not the job's fault — an IM restarting, or stopped before the BB in one process.
	WaitForIM bool
}

// Dial returns a connection whose every call goes through the IM as opts.Client. Connecting is lazy.
func Dial(opts Options) (*grpc.ClientConn, error) {
	if opts.Addr == "" {
		return nil, errors.New("imclient: the IM's gRPC address is required")
	}
	if opts.Client.IsZero() {
		return nil, errors.New("imclient: the calling client identity is required")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	tc := insecure.NewCredentials()
	if opts.TLS != nil {
		tc = credentials.NewTLS(opts.TLS)
	}
	return grpc.NewClient(opts.Addr,
		grpc.WithDefaultCallOptions(grpc.WaitForReady(opts.WaitForIM), grpc.MaxCallRecvMsgSize(MaxMessageBytes)),
		grpc.WithTransportCredentials(tc),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
		grpc.WithChainUnaryInterceptor(opts.unary),
		grpc.WithChainStreamInterceptor(opts.stream),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: 5 * time.Minute, Timeout: 20 * time.Second}),
	)
}

func (o Options) outgoing(ctx context.Context) context.Context {
	kv := []string{imident.MetadataKey, o.Client.String()}
	if o.APIKey != "" {
		kv = append(kv, APIKeyMetadata, o.APIKey)
	}
	// The correlation id of the request being served goes on with the call it causes.
	if in, ok := metadata.FromIncomingContext(ctx); ok {
		if id := in.Get(requestIDMetadata); len(id) > 0 {
			kv = append(kv, requestIDMetadata, id[0])
		}
	}
	return metadata.AppendToOutgoingContext(ctx, kv...)
}

func (o Options) unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	ctx = o.outgoing(ctx)
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	return invoker(ctx, method, req, reply, cc, opts...)
}

func (o Options) stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return streamer(o.outgoing(ctx), desc, cc, method, opts...)
}
