package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
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
  GOVSTACK_JWKS_URL          where the Registration BB's token keys are published, normally
                             http://<gateway>/.well-known/jwks.json; without it a call carrying a user
                             token (Authorization) is refused (default: none)
  GOVSTACK_TOKEN_ISSUER      the iss user tokens must carry (default govstack-registration)
  GOVSTACK_METRICS_ADDR      serve Prometheus /metrics on this address (default: off)
  GOVSTACK_LOG_LEVEL         debug, info, warn or error (default info)
  GOVSTACK_SHUTDOWN_TIMEOUT  how long serve drains in-flight calls on shutdown (default 15s)
  OTEL_EXPORTER_OTLP_ENDPOINT  send traces to this OTLP/gRPC endpoint (default: none)
`

// Exit codes (bbcmd's): 2 for a wrong command line, 1 for a failure.
const (
	exitOK      = bbcmd.ExitOK
	exitFailure = bbcmd.ExitFailure
	exitUsage   = bbcmd.ExitUsage
)

// command is this BB's binary: bbcmd runs serve, migrate, seed, healthcheck.
var command = bbcmd.Command[scheduling.Config]{
	Name:            scheduling.Name,
	DefaultGRPCAddr: scheduling.DefaultGRPCAddr,
	Usage:           usage,
	Common:          func(c scheduling.Config) config.Common { return c.Common },
	Migrations:      scheduling.Migrations,
	Seed:            func(ctx context.Context, _ scheduling.Config, p *pgxpool.Pool) error { return scheduling.Seed(ctx, p) },
	New: func(_ context.Context, cfg scheduling.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return scheduling.New(cfg, scheduling.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

// run executes one command and returns the exit code.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int {
	return command.Run(ctx, args, env, stdout, stderr)
}

// serveWith runs the BB on deps as serve does; ready, when set, is called once it listens (for tests).
func serveWith(ctx context.Context, cfg scheduling.Config, deps scheduling.Deps, ready func(*grpcserver.Server)) error {
	svc, err := scheduling.New(cfg, deps)
	if err != nil {
		return err
	}
	log := deps.Logger
	if log == nil {
		log = slog.Default()
	}
	return command.Serve(ctx, cfg, svc, deps.Pool, log, ready)
}
