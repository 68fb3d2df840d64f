package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"

	"github.com/govstackbb/marketplace/platform/httpserver"
)

// readHeaderTimeout bounds how long a client may take to send its headers (slowloris).
const readHeaderTimeout = 10 * time.Second

// Run serves the main handler on cfg.HTTPAddr and each standalone handler on its own address until ctx is
// done, then shuts every server down gracefully within cfg.ShutdownTimeout. All addresses are bound before
// anything is served, so a taken port fails start-up instead of leaving a half-running gateway.
func (g *Gateway) Run(ctx context.Context) error {
	main, err := net.Listen("tcp", g.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("gateway: listen on %s (GOVSTACK_HTTP_ADDR): %w", g.cfg.HTTPAddr, err)
	}
	standalone := map[string]net.Listener{}
	for _, l := range g.listeners {
		ln, err := net.Listen("tcp", l.Addr)
		if err != nil {
			_ = main.Close()
			for _, open := range standalone {
				_ = open.Close()
			}
			return fmt.Errorf("gateway: listen on %s (GOVSTACK_GATEWAY_STANDALONE %s): %w", l.Addr, l.BB, err)
		}
		standalone[l.BB] = ln
	}
	return g.Serve(ctx, main, standalone)
}

// Serve is Run on listeners the caller bound: the main REST handler on main and each BB's standalone handler
// on standalone[bb]. govstack dev uses it to learn the ports of ":0" addresses before serving.
func (g *Gateway) Serve(ctx context.Context, main net.Listener, standalone map[string]net.Listener) error {
	eg, ctx := errgroup.WithContext(ctx)
	serve := func(name string, ln net.Listener, h http.Handler) {
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
		g.log.Info("gateway listening", slog.String("setting", name), slog.String("addr", ln.Addr().String()))
		eg.Go(func() error {
			if err := httpserver.Serve(ctx, ln, hs, g.cfg.ShutdownTimeout); err != nil {
				return fmt.Errorf("gateway: serve %s: %w", name, err)
			}
			return nil
		})
	}
	handlers := map[string]http.Handler{}
	for bb := range standalone {
		h, err := g.StandaloneHandler(bb)
		if err != nil {
			return err // before anything serves: the caller still owns and closes the listeners
		}
		handlers[bb] = h
	}
	serve("GOVSTACK_HTTP_ADDR", main, g.main)
	for bb, ln := range standalone {
		serve("GOVSTACK_GATEWAY_STANDALONE "+bb, ln, handlers[bb])
	}
	return eg.Wait()
}

// Dial returns a client connection to a building block's gRPC address, instrumented with OpenTelemetry so
// traces continue from REST into the BB. The connection is plaintext for now: TLS between the IM and the
// BBs comes with the IM's certificates. Connecting is lazy; the first RPC (or a /readyz probe) dials.
func Dial(ctx context.Context, addr string) (*grpc.ClientConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(addr,
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
