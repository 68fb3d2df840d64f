package gateway

import (
	"context"
	"errors"
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
)

// readHeaderTimeout bounds how long a client may take to send its headers (slowloris).
const readHeaderTimeout = 10 * time.Second

// Run serves the main handler on cfg.HTTPAddr and each standalone handler on its own address until ctx is
// done, then shuts every server down gracefully within cfg.ShutdownTimeout. All addresses are bound before
// anything is served, so a taken port fails start-up instead of leaving a half-running gateway.
func (g *Gateway) Run(ctx context.Context) error {
	type server struct {
		name string
		ln   net.Listener
		h    http.Handler
	}
	targets := []struct{ name, addr string }{{"GOVSTACK_HTTP_ADDR", g.cfg.HTTPAddr}}
	for _, l := range g.listeners {
		targets = append(targets, struct{ name, addr string }{"GOVSTACK_GATEWAY_STANDALONE " + l.BB, l.Addr})
	}
	var servers []server
	for i, t := range targets {
		ln, err := net.Listen("tcp", t.addr)
		if err != nil {
			for _, s := range servers {
				_ = s.ln.Close()
			}
			return fmt.Errorf("gateway: listen on %s (%s): %w", t.addr, t.name, err)
		}
		h := g.main
		if i > 0 {
			h = g.standalone[g.listeners[i-1].BB]
		}
		servers = append(servers, server{t.name, ln, h})
	}

	eg, ctx := errgroup.WithContext(ctx)
	for _, s := range servers {
		hs := &http.Server{
			Handler:           s.h,
			ReadHeaderTimeout: readHeaderTimeout,
			// Reading the body and writing the answer happen within the request's own deadline; the margin
			// lets the gateway still write its 504.
			ReadTimeout:  g.cfg.RequestTimeout + readHeaderTimeout,
			WriteTimeout: g.cfg.RequestTimeout + readHeaderTimeout,
			IdleTimeout:  2 * time.Minute,
			ErrorLog:     slog.NewLogLogger(g.log.Handler(), slog.LevelWarn),
		}
		g.log.Info("gateway listening", slog.String("setting", s.name), slog.String("addr", s.ln.Addr().String()))
		eg.Go(func() error {
			if err := hs.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("gateway: serve %s: %w", s.name, err)
			}
			return nil
		})
		eg.Go(func() error {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.cfg.ShutdownTimeout)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				g.log.Warn("gateway shutdown timed out; closing connections", slog.String("setting", s.name))
				return hs.Close()
			}
			return nil
		})
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
