package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/observability"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registries"
)

const usage = `Usage: registries <command>

The GovStack Digital Registries building block.

Commands:
  serve     run the gRPC API (RegistriesService, DatabasesService) and the event relay until SIGINT/SIGTERM
  migrate   create the database govstack_registries if missing and apply its migrations
  seed      migrate, then load the demo registries (idempotent)
  healthcheck  exit 0 when the registries server at GOVSTACK_GRPC_ADDR answers its gRPC health check SERVING

Environment:
  GOVSTACK_DATABASE_URL      Postgres server URL; the BB uses database govstack_registries on it
                             (default postgres://localhost:5432/postgres?sslmode=disable)
  GOVSTACK_NATS_URL          NATS server URL, with JetStream (required by serve)
  GOVSTACK_GRPC_ADDR         gRPC listen address (default ` + registries.DefaultGRPCAddr + `)
  GOVSTACK_METRICS_ADDR      serve Prometheus /metrics on this address (default: off)
  GOVSTACK_LOG_LEVEL         debug, info, warn or error (default info)
  GOVSTACK_SHUTDOWN_TIMEOUT  how long serve drains in-flight calls on shutdown (default 15s)
  OTEL_EXPORTER_OTLP_ENDPOINT  send traces to this OTLP/gRPC endpoint (default: none)
`

// Exit codes: 2 for a wrong command line, 1 for a failure.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// run executes one command and returns the exit code. Everything outside comes in as arguments (the
// environment as a map), so tests drive it without touching the process.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	commands := map[string]func(context.Context, registries.Config, *slog.Logger) error{
		"serve": serve, "migrate": migrate, "seed": seed, "healthcheck": healthcheck,
	}
	switch cmd, ok := commands[args[0]]; {
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case !ok || len(args) > 1:
		fmt.Fprintf(stderr, "registries: unknown command %q\n\n%s", strings.Join(args, " "), usage)
		return exitUsage
	default:
		cfg, err := config.LoadFrom[registries.Config](env)
		if err != nil {
			fmt.Fprintf(stderr, "registries: %v\n", err)
			return exitFailure
		}
		log := observability.NewLogger(stderr, cfg.LogLevel).With("service", registries.Name)
		if err := cmd(ctx, cfg, log); err != nil {
			log.Error("registries "+args[0]+" failed", "error", err.Error())
			return exitFailure
		}
		return exitOK
	}
}

// healthcheck probes a running server with the same settings; docker-compose and Kubernetes call it, since
// the distroless image has no grpc_health_probe.
func healthcheck(ctx context.Context, cfg registries.Config, _ *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addr := cfg.GRPCAddr
	if addr == "" {
		addr = registries.DefaultGRPCAddr
	}
	return grpcserver.Probe(ctx, addr)
}

// migrate creates the BB's database when missing and applies every migration set.
func migrate(ctx context.Context, cfg registries.Config, log *slog.Logger) error {
	pool, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	pool.Close()
	log.Info("database migrated", "database", "govstack_"+registries.Name)
	return nil
}

// seed migrates, then loads the demo registries.
func seed(ctx context.Context, cfg registries.Config, log *slog.Logger) error {
	pool, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := registries.Seed(ctx, pool); err != nil {
		return err
	}
	log.Info("demo registries seeded")
	return nil
}

func openMigrated(ctx context.Context, cfg registries.Config) (*pgxpool.Pool, error) {
	url, err := cfg.DatabaseURLFor(registries.Name)
	if err != nil {
		return nil, err
	}
	if err := pgstore.EnsureDatabase(ctx, cfg.DatabaseURL, "govstack_"+registries.Name); err != nil {
		return nil, err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, pool, registries.Migrations()...); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// environ returns the process environment as a map, the form config.LoadFrom reads.
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
