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

	"github.com/govstackbb/marketplace/services/messaging"
)

const usage = `Usage: messaging <command>

The GovStack Messaging building block: e-mail and SMS delivery.

Commands:
  serve     run the gRPC API (MessagingService, OperatorService), the dispatcher, the event consumers and
            the event relay until SIGINT/SIGTERM
  migrate   create the database govstack_messaging if missing and apply its migrations (templates and the
            Scheduling notification rules are seeded by migration)
  healthcheck  exit 0 when the messaging server at GOVSTACK_GRPC_ADDR answers its gRPC health check SERVING

Environment:
  GOVSTACK_DATABASE_URL      Postgres server URL; the BB uses database govstack_messaging on it
                             (default postgres://localhost:5432/postgres?sslmode=disable)
  GOVSTACK_NATS_URL          NATS server URL, with JetStream (required by serve)
  GOVSTACK_GRPC_ADDR         gRPC listen address (default ` + messaging.DefaultGRPCAddr + `)
  GOVSTACK_METRICS_ADDR      serve Prometheus /metrics on this address (default: off)
  GOVSTACK_LOG_LEVEL         debug, info, warn or error (default info)
  GOVSTACK_SHUTDOWN_TIMEOUT  how long serve drains in-flight calls on shutdown (default 15s)
  GOVSTACK_MESSAGING_API_KEYS        comma-separated name=key pairs accepted in the apiKey header (required)
  GOVSTACK_MESSAGING_SMTP_ADDR       SMTP relay host:port (default 127.0.0.1:25)
  GOVSTACK_MESSAGING_SMTP_USERNAME   SMTP AUTH user (default: no AUTH); _SMTP_PASSWORD its password
  GOVSTACK_MESSAGING_SMTP_FROM       default From address (default no-reply@localhost)
  GOVSTACK_MESSAGING_SMTP_TLS        none, starttls (opportunistic, default), starttls-required or tls (implicit)
  GOVSTACK_MESSAGING_SMTP_TIMEOUT    connect/send time-out (default 30s)
  GOVSTACK_MESSAGING_SMS_PROVIDER_URL, _SMS_PROVIDER_TOKEN, _SMS_FROM   the HTTP SMS provider
  GOVSTACK_MESSAGING_MAX_BATCH (1000), _MAX_SUBJECT_BYTES (998), _MAX_BODY_BYTES (1048576), _MAX_SMS_CHARS (1600)
  GOVSTACK_MESSAGING_RECIPIENT_PER_HOUR (100, 0 = off), _EMAIL_PER_SECOND (100), _SMS_PER_SECOND (10) per replica
  GOVSTACK_MESSAGING_WORKERS (8), _MAX_ATTEMPTS (8), _RETRY_BASE (5s), _RETRY_MAX (1h), _LEASE (2m), _POLL_INTERVAL (1s)
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
	commands := map[string]func(context.Context, messaging.Config, *slog.Logger) error{
		"serve": serve, "migrate": migrate, "healthcheck": healthcheck,
	}
	switch cmd, ok := commands[args[0]]; {
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case !ok || len(args) > 1:
		fmt.Fprintf(stderr, "messaging: unknown command %q\n\n%s", strings.Join(args, " "), usage)
		return exitUsage
	default:
		cfg, err := config.LoadFrom[messaging.Config](env)
		if err != nil {
			fmt.Fprintf(stderr, "messaging: %v\n", err)
			return exitFailure
		}
		log := observability.NewLogger(stderr, cfg.LogLevel).With("service", messaging.Name)
		if err := cmd(ctx, cfg, log); err != nil {
			log.Error("messaging "+args[0]+" failed", "error", err.Error())
			return exitFailure
		}
		return exitOK
	}
}

// healthcheck probes a running server with the same settings; docker-compose and Kubernetes call it, since
// the distroless image has no grpc_health_probe.
func healthcheck(ctx context.Context, cfg messaging.Config, _ *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addr := cfg.GRPCAddr
	if addr == "" {
		addr = messaging.DefaultGRPCAddr
	}
	return grpcserver.Probe(ctx, addr)
}

// migrate creates the BB's database when missing and applies every migration set.
func migrate(ctx context.Context, cfg messaging.Config, log *slog.Logger) error {
	pool, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	pool.Close()
	log.Info("database migrated", "database", "govstack_"+messaging.Name)
	return nil
}

func openMigrated(ctx context.Context, cfg messaging.Config) (*pgxpool.Pool, error) {
	url, err := cfg.DatabaseURLFor(messaging.Name)
	if err != nil {
		return nil, err
	}
	if err := pgstore.EnsureDatabase(ctx, cfg.DatabaseURL, "govstack_"+messaging.Name); err != nil {
		return nil, err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, pool, messaging.Migrations()...); err != nil {
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
