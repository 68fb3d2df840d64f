package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"

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
  GOVSTACK_MESSAGING_API_KEYS        comma-separated name=key pairs accepted in the apiKey header (required);
                                     keys of 16 characters or more, any length in development mode
  GOVSTACK_MESSAGING_DEV_MODE        true on a development machine: API keys of any length (default false)
  GOVSTACK_JWKS_URL                  the user tokens' public keys, e.g. http://<gateway>/.well-known/jwks.json:
                                     staff and admin tokens then reach the dead letters and the opt-out list
                                     (default: none; only IM clients with the personal-data right do)
  GOVSTACK_TOKEN_ISSUER              the iss user tokens must carry (default govstack-registration)
  GOVSTACK_MESSAGING_SMTP_ADDR       SMTP relay host:port (default 127.0.0.1:25)
  GOVSTACK_MESSAGING_SMTP_USERNAME   SMTP AUTH user (default: no AUTH); _SMTP_PASSWORD its password
  GOVSTACK_MESSAGING_SMTP_FROM       default From address (default no-reply@localhost)
  GOVSTACK_MESSAGING_SMTP_TLS        none, starttls (opportunistic, default), starttls-required or tls (implicit)
  GOVSTACK_MESSAGING_SMTP_TIMEOUT    connect/send time-out (default 30s)
  GOVSTACK_MESSAGING_SMTP_MESSAGES_PER_CONN  messages sent over one SMTP connection before it is closed (default 100)
  GOVSTACK_MESSAGING_SMTP_IDLE_TIMEOUT       an SMTP connection unused this long is closed (default 30s)
  GOVSTACK_MESSAGING_SMS_PROVIDER_URL, _SMS_PROVIDER_TOKEN, _SMS_FROM   the HTTP SMS provider
  GOVSTACK_MESSAGING_MAX_BATCH (1000), _MAX_SUBJECT_BYTES (998), _MAX_BODY_BYTES (1048576), _MAX_SMS_CHARS (1600)
  GOVSTACK_MESSAGING_RECIPIENT_PER_HOUR (100, 0 = off), _EMAIL_PER_SECOND (100), _SMS_PER_SECOND (10) per replica
  GOVSTACK_MESSAGING_WORKERS (8), _MAX_ATTEMPTS (8), _RETRY_BASE (5s), _RETRY_MAX (1h), _LEASE (10s, renewed while a send runs), _POLL_INTERVAL (1s)
  OTEL_EXPORTER_OTLP_ENDPOINT  send traces to this OTLP/gRPC endpoint (default: none)
`

// Exit codes (bbcmd's): 2 for a wrong command line, 1 for a failure.
const (
	exitOK      = bbcmd.ExitOK
	exitFailure = bbcmd.ExitFailure
	exitUsage   = bbcmd.ExitUsage
)

// command is this BB's binary: bbcmd runs serve, migrate, healthcheck.
var command = bbcmd.Command[messaging.Config]{
	Name:            messaging.Name,
	DefaultGRPCAddr: messaging.DefaultGRPCAddr,
	Usage:           usage,
	Common:          func(c messaging.Config) config.Common { return c.Common },
	Migrations:      messaging.Migrations,
	New: func(_ context.Context, cfg messaging.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return messaging.New(cfg, messaging.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

// run executes one command and returns the exit code.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int {
	return command.Run(ctx, args, env, stdout, stderr)
}

// serveWith runs the BB on deps as serve does; ready, when set, is called once it listens (for tests).
func serveWith(ctx context.Context, cfg messaging.Config, deps messaging.Deps, ready func(*grpcserver.Server)) error {
	svc, err := messaging.New(cfg, deps)
	if err != nil {
		return err
	}
	log := deps.Logger
	if log == nil {
		log = slog.Default()
	}
	return command.Serve(ctx, cfg, svc, deps.Pool, log, ready)
}
