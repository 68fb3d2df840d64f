package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"

	"github.com/govstackbb/marketplace/services/registration"
)

const usage = `Usage: registration <command>

The GovStack Registration building block: e-services, account registration and sign-in.

Commands:
  serve     run the gRPC API (EServiceService, AccountService, AuthService), the event relay and the
            signing-key rotation until SIGINT/SIGTERM
  migrate   create the database govstack_registration if missing and apply its migrations
  seed      migrate, then create or reset the administrator account (GOVSTACK_REGISTRATION_ADMIN_EMAIL and
            GOVSTACK_REGISTRATION_ADMIN_PASSWORD)
  healthcheck  exit 0 when the registration server at GOVSTACK_GRPC_ADDR answers its gRPC health check SERVING

Environment:
  GOVSTACK_DATABASE_URL      Postgres server URL; the BB uses database govstack_registration on it
                             (default postgres://localhost:5432/postgres?sslmode=disable)
  GOVSTACK_NATS_URL          NATS server URL, with JetStream (required by serve)
  GOVSTACK_GRPC_ADDR         gRPC listen address (default ` + registration.DefaultGRPCAddr + `)
  GOVSTACK_IM_GRPC_ADDR      the Information Mediator's gRPC address; Digital Registries is called through it
                             (default 127.0.0.1:9090)
  GOVSTACK_REGISTRATION_IM_CLIENT   this BB's IM subsystem (default GOVSTACK/GOV/GOVSTACK/registration)
  GOVSTACK_REGISTRATION_IM_API_KEY  its IM API key (gateway issue-key; not needed in the IM's dev mode)
  GOVSTACK_REGISTRATION_PUBLIC_URL  base of the links in e-mails (default http://127.0.0.1:8080/accounts)
  GOVSTACK_REGISTRATION_TOKEN_ISSUER      iss of access tokens (default govstack-registration)
  GOVSTACK_REGISTRATION_ACCESS_TOKEN_TTL  access token lifetime (default 15m)
  GOVSTACK_REGISTRATION_REFRESH_TOKEN_TTL refresh token lifetime (default 720h)
  GOVSTACK_REGISTRATION_KEY_ROTATION      how often a new signing key is made (default 24h)
  GOVSTACK_REGISTRATION_ACTIVATION_TTL    activation link lifetime (default 48h)
  GOVSTACK_REGISTRATION_RESET_TTL         password-reset link lifetime (default 1h)
  GOVSTACK_REGISTRATION_MAX_DOCUMENT_BYTES  largest uploaded document (default 5242880)
  GOVSTACK_REGISTRATION_ADMIN_EMAIL, GOVSTACK_REGISTRATION_ADMIN_PASSWORD  the administrator seed creates
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
var command = bbcmd.Command[registration.Config]{
	Name:            registration.Name,
	DefaultGRPCAddr: registration.DefaultGRPCAddr,
	Usage:           usage,
	Common:          func(c registration.Config) config.Common { return c.Common },
	Migrations:      registration.Migrations,
	Seed:            registration.Seed,
	New: func(_ context.Context, cfg registration.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return registration.New(cfg, registration.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

// run executes one command and returns the exit code.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int {
	return command.Run(ctx, args, env, stdout, stderr)
}

// serveWith runs the BB on deps as serve does; ready, when set, is called once it listens (for tests).
func serveWith(ctx context.Context, cfg registration.Config, deps registration.Deps, ready func(*grpcserver.Server)) error {
	svc, err := registration.New(cfg, deps)
	if err != nil {
		return err
	}
	log := deps.Logger
	if log == nil {
		log = slog.Default()
	}
	return command.Serve(ctx, cfg, svc, deps.Pool, log, ready)
}
