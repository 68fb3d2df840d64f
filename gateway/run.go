package gateway

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"

	"github.com/govstackbb/marketplace/gateway/internal/msglog"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/httpserver"
	"github.com/govstackbb/marketplace/platform/imclient"
	"github.com/govstackbb/marketplace/platform/lifecycle"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// readHeaderTimeout bounds how long a client may take to send its headers (slowloris).
const readHeaderTimeout = 10 * time.Second

// Listeners are the gateway's bound sockets: the main REST listener, the gRPC front door for BB-to-BB
// calls, and the standalone REST listeners by building block. A nil GRPC listener leaves gRPC off.
type Listeners struct {
	Main       net.Listener
	GRPC       net.Listener
	Standalone map[string]net.Listener
}

// Run binds every listener (so a taken port fails start-up instead of leaving a half-running gateway),
// then serves until ctx is done and shuts everything down gracefully within cfg.ShutdownTimeout.
func (g *Gateway) Run(ctx context.Context) error {
	ls := Listeners{Standalone: map[string]net.Listener{}}
	closeAll := func() {
		for _, l := range []net.Listener{ls.Main, ls.GRPC} {
			if l != nil {
				_ = l.Close()
			}
		}
		for _, l := range ls.Standalone {
			_ = l.Close()
		}
	}
	var err error
	if ls.Main, err = net.Listen("tcp", g.cfg.HTTPAddr); err != nil {
		return fmt.Errorf("gateway: listen on %s (GOVSTACK_HTTP_ADDR): %w", g.cfg.HTTPAddr, err)
	}
	if ls.GRPC, err = net.Listen("tcp", g.cfg.GRPCListenAddr()); err != nil {
		closeAll()
		return fmt.Errorf("gateway: listen on %s (GOVSTACK_GRPC_ADDR): %w", g.cfg.GRPCListenAddr(), err)
	}
	for _, l := range g.listeners {
		ln, err := net.Listen("tcp", l.Addr)
		if err != nil {
			closeAll()
			return fmt.Errorf("gateway: listen on %s (GOVSTACK_GATEWAY_STANDALONE %s): %w", l.Addr, l.BB, err)
		}
		ls.Standalone[l.BB] = ln
	}
	return g.Serve(ctx, ls)
}

// Serve is Run on listeners the caller bound (govstack dev uses it to learn the ports of ":0" addresses).
// It also runs the IM's background work: the message-log writer and pub/sub deliveries.
func (g *Gateway) Serve(ctx context.Context, ls Listeners) error {
	st, err := g.Stages(ls)
	if err != nil {
		return err
	}
	return lifecycle.Run(ctx, st.REST, st.GRPC, st.Background)
}

// Stages are the gateway's tasks, grouped by when they stop.
type Stages struct {
	REST       lifecycle.Stage // the REST listeners
	GRPC       lifecycle.Stage // the gRPC front door (BB-to-BB calls and gRPC clients)
	Background lifecycle.Stage // the message log writer and pub/sub deliveries
}

// Stages returns the gateway's tasks; they stop in this order (ARCHITECTURE.md §4): the REST listeners stop
// accepting and finish their requests first — which may still call BBs through the IM's gRPC front door —
// then the gRPC front door finishes its calls, and the message log writer stops last, after it has the
// record of every answer. govstack dev puts its BBs between the gRPC front door and the log.
func (g *Gateway) Stages(ls Listeners) (Stages, error) {
	handlers := map[string]http.Handler{}
	for bb := range ls.Standalone {
		h, err := g.StandaloneHandler(bb)
		if err != nil {
			return Stages{}, err // before anything serves: the caller still owns and closes the listeners
		}
		handlers[bb] = h
	}
	rest := lifecycle.Stage{g.restTask("GOVSTACK_HTTP_ADDR", ls.Main, g.main)}
	for bb, ln := range ls.Standalone {
		rest = append(rest, g.restTask("GOVSTACK_GATEWAY_STANDALONE "+bb, ln, handlers[bb]))
	}
	var front lifecycle.Stage
	if ls.GRPC != nil {
		srv := g.grpcServer(ls.GRPC)
		if err := srv.Listen(); err != nil {
			return Stages{}, err
		}
		g.log.Info("gateway listening", slog.String("setting", "GOVSTACK_GRPC_ADDR"), slog.String("addr", ls.GRPC.Addr().String()))
		front = lifecycle.Stage{srv.Run}
	}
	return Stages{REST: rest, GRPC: front, Background: lifecycle.Stage{g.im.Run}}, nil
}

// restTask serves REST on ln until its context ends, then finishes the requests it accepted.
func (g *Gateway) restTask(name string, ln net.Listener, h http.Handler) lifecycle.Task {
	if g.tls != nil {
		ln = tls.NewListener(ln, g.tls)
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		// Reading the body and writing the answer happen within the request's own deadline; the margin
		// lets the gateway still write its 504.
		ReadTimeout:  g.cfg.RequestTimeout + readHeaderTimeout,
		WriteTimeout: g.cfg.RequestTimeout + readHeaderTimeout,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(g.log.Handler(), slog.LevelWarn),
	}
	g.log.Info("gateway listening", slog.String("setting", name), slog.String("addr", ln.Addr().String()), slog.Bool("tls", g.tls != nil))
	return func(ctx context.Context) error {
		if err := httpserver.Serve(ctx, ln, hs, g.cfg.ShutdownTimeout); err != nil {
			return fmt.Errorf("gateway: serve %s: %w", name, err)
		}
		return nil
	}
}

// grpcServer is the IM's gRPC front door on ln: the BB-to-BB proxy, with the message log and TLS.
func (g *Gateway) grpcServer(ln net.Listener) *grpcserver.Server {
	// A BB's call may carry as much as a message through the IM may (a batch to Payments).
	opts := append(g.proxy.ServerOptions(), grpc.MaxRecvMsgSize(imclient.MaxMessageBytes))
	if g.tls != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(g.tls)))
	}
	return grpcserver.New(grpcserver.Options{
		Name: "gateway", Listener: ln, Logger: g.log, ShutdownTimeout: g.cfg.ShutdownTimeout,
		Stream: []grpc.StreamServerInterceptor{msglog.StreamServerInterceptor(g.im.log.Writer())}, ServerOptions: opts,
		// Long polls workers repeat every few seconds, e.g. Workflow's job activation (the message log keeps each).
		QuietMethods: catalog.LongPolls(),
	})
}

// Dial returns a client connection to a building block's gRPC address, instrumented with OpenTelemetry so
// traces continue from REST into the BB. The connection is plaintext for now: TLS between the IM and the
// BBs comes with the IM's certificates. Connecting is lazy; the first RPC (or a /readyz probe) dials.
func Dial(ctx context.Context, addr string) (*grpc.ClientConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(addr,
		// A BB's answer may be as large as a message through the IM may be (a document read back).
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(imclient.MaxMessageBytes)),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
		// Detect a dead BB behind a silent network path. Pings are at most every 5 minutes and only during
		// calls, which grpc-go servers accept by default (their enforcement minimum is 5 minutes).
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: 5 * time.Minute, Timeout: 20 * time.Second}),
	)
	if err != nil {
		return nil, fmt.Errorf("gateway: dial %s: %w", addr, err)
	}
	return conn, nil
}
