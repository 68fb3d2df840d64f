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

	"github.com/govstackbb/marketplace/services/scheduling"
)

const usage = `Usage: scheduling <command>

The GovStack Scheduler building block.

Commands:
  serve     run the gRPC API (BookingService, DirectoryService, DeadlineService), the event relay and the
            timer loop until SIGINT/SIGTERM
  migrate   create the database govstack_scheduling if missing and apply its migrations
  seed      migrate, then load the demo hospitals and doctors (idempotent)
  healthcheck  exit 0 when the scheduling server at GOVSTACK_GRPC_ADDR answers its gRPC health check SERVING

Environment:
  GOVSTACK_DATABASE_URL      Postgres server URL; the BB uses database govstack_scheduling on it
                             (default postgres://localhost:5432/postgres?sslmode=disable)
  GOVSTACK_NATS_URL          NATS server URL, with JetStream (required by serve)
  GOVSTACK_GRPC_ADDR         gRPC listen address (default ` + scheduling.DefaultGRPCAddr + `)
  GOVSTACK_SCHEDULING_TIMER_POLL  how often due timers are looked for (default 1s)
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
	commands := map[string]func(context.Context, scheduling.Config, *slog.Logger) error{
		"serve": serve, "migrate": migrate, "seed": seed, "healthcheck": healthcheck,
	}
	switch cmd, ok := commands[args[0]]; {
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case !ok || len(args) > 1:
		fmt.Fprintf(stderr, "scheduling: unknown command %q\n\n%s", strings.Join(args, " "), usage)
		return exitUsage
	default:
		cfg, err := config.LoadFrom[scheduling.Config](env)
		if err != nil {
			fmt.Fprintf(stderr, "scheduling: %v\n", err)
			return exitFailure
		}
		log := observability.NewLogger(stderr, cfg.LogLevel).With("service", scheduling.Name)
		if err := cmd(ctx, cfg, log); err != nil {
			log.Error("scheduling "+args[0]+" failed", "error", err.Error())
			return exitFailure
		}
		return exitOK
	}
}

// healthcheck probes a running server with the same settings; docker-compose and Kubernetes call it, since
// the distroless image has no grpc_health_probe.
func healthcheck(ctx context.Context, cfg scheduling.Config, _ *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addr := cfg.GRPCAddr
	if addr == "" {
		addr = scheduling.DefaultGRPCAddr
	}
	return grpcserver.Probe(ctx, addr)
}

// migrate creates the BB's database when missing and applies every migration set.
func migrate(ctx context.Context, cfg scheduling.Config, log *slog.Logger) error {
	pool, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	pool.Close()
	log.Info("database migrated", "database", "govstack_"+scheduling.Name)
	return nil
}

// seed migrates, then loads the demo hospitals and doctors.
func seed(ctx context.Context, cfg scheduling.Config, log *slog.Logger) error {
	pool, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := scheduling.Seed(ctx, pool); err != nil {
		return err
	}
	log.Info("demo hospitals and doctors seeded")
	return nil
}

func openMigrated(ctx context.Context, cfg scheduling.Config) (*pgxpool.Pool, error) {
	url, err := cfg.DatabaseURLFor(scheduling.Name)
	if err != nil {
		return nil, err
	}
	if err := pgstore.EnsureDatabase(ctx, cfg.DatabaseURL, "govstack_"+scheduling.Name); err != nil {
		return nil, err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, pool, scheduling.Migrations()...); err != nil {
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
