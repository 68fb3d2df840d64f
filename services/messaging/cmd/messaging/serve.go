package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/observability"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/services/messaging"
)

var errNoNATS = errors.New("GOVSTACK_NATS_URL: required by serve (events are published through NATS JetStream), e.g. nats://127.0.0.1:4222")

// serve runs the gRPC server and the outbox relay until ctx is done, then shuts down in the order of
// ARCHITECTURE.md §4: health NOT_SERVING and a bounded GracefulStop (inside grpcserver.Run), then drain
// NATS, then close the pool.
func serve(ctx context.Context, cfg messaging.Config, log *slog.Logger) error {
	if cfg.NATSURL == "" {
		return errNoNATS
	}
	shutdownTracing, err := observability.SetupTracing(ctx, messaging.Name)
	if err != nil {
		return err
	}
	defer shutdownQuietly(shutdownTracing, cfg.ShutdownTimeout)

	url, err := cfg.DatabaseURLFor(messaging.Name)
	if err != nil {
		return err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	nc, err := natsbus.Connect(ctx, cfg.NATSURL, messaging.Name, log)
	if err != nil {
		return err
	}
	defer func() { _ = nc.Drain() }() // runs before pool.Close: deferred calls unwind in reverse
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	return serveWith(ctx, cfg, messaging.Deps{Pool: pool, JetStream: js, Logger: log}, nil)
}

// serveWith runs the BB on deps; ready, when set, is called with the server once it listens (for tests).
func serveWith(ctx context.Context, cfg messaging.Config, deps messaging.Deps, ready func(*grpcserver.Server)) error {
	svc, err := messaging.New(cfg, deps)
	if err != nil {
		return err
	}
	addr := cfg.GRPCAddr
	if addr == "" {
		addr = messaging.DefaultGRPCAddr
	}
	srv := grpcserver.New(grpcserver.Options{Name: messaging.Name, Addr: addr, Logger: deps.Logger,
		Unary: svc.UnaryInterceptors(), ShutdownTimeout: cfg.ShutdownTimeout})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		return err
	}
	deps.Logger.Info("messaging serving", "grpc_addr", srv.Addr().String())
	if ready != nil {
		ready(srv)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { return svc.Run(gctx) })
	g.Go(func() error { return observability.ServeMetrics(gctx, cfg.MetricsAddr, deps.Logger) })
	return g.Wait()
}

func shutdownQuietly(shutdown func(context.Context) error, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_ = shutdown(ctx)
}
