package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/observability"
)

const usage = `govstack — GovStack building blocks, all in one process

Usage:
  govstack dev                 run every building block and the gateway (NATS embedded unless GOVSTACK_NATS_URL is set)
  govstack admin-key CLIENT    print a new IM admin API key for CLIENT (INSTANCE/CLASS/MEMBER/SUBSYSTEM), for
                               a stack run with GOVSTACK_GATEWAY_DEV_MODE=false; shown once, stored hashed
  govstack postgres start|stop|status|remove [FOLDER]
                               the project's private PostgreSQL cluster (GOVSTACK_DATA_DIR/postgres), which
                               govstack dev starts by itself when GOVSTACK_DATABASE_URL is unset and no server
                               answers at the default address; only the user who runs it can connect (socket
                               in a 0700 folder, loopback TCP with the password kept in FOLDER/password)
  govstack test-postgres CMD…  run CMD (make test's module tests) with GOVSTACK_TEST_DATABASE_URL set: the
                               server it names, the one at the default address, or a private cluster

Settings (environment):
  GOVSTACK_DATABASE_URL        Postgres server; each BB gets its own database on it (default
                               postgres://localhost:5432/postgres?sslmode=disable, or, when none answers there
                               and the variable is unset, a private cluster in GOVSTACK_DATA_DIR/postgres)
  GOVSTACK_NATS_URL            NATS server; empty runs NATS embedded with JetStream in GOVSTACK_DATA_DIR
  GOVSTACK_DATA_DIR            local state (default ./.govstack)
  GOVSTACK_HTTP_ADDR           the gateway's REST listener (default 127.0.0.1:8080)
  GOVSTACK_PORTAL_ADDR         the portal's listener (default 127.0.0.1:8081); its other settings, GOVSTACK_PORTAL_*,
                               are in web/README.md (its gateway is always this stack's)
  GOVSTACK_GATEWAY_STANDALONE  extra listeners serving one BB at their root, e.g. registries=127.0.0.1:3333
  GOVSTACK_REGISTRIES_GRPC_ADDR the registries BB's gRPC listener (default 127.0.0.1:9092); likewise
                               GOVSTACK_MESSAGING_GRPC_ADDR (9094), GOVSTACK_SCHEDULING_GRPC_ADDR (9096),
                               GOVSTACK_REGISTRATION_GRPC_ADDR (9091)
  GOVSTACK_GRPC_ADDR           the IM's gRPC listener for BB-to-BB calls (default 127.0.0.1:9090)
  GOVSTACK_GATEWAY_DEV_MODE    trust identity headers without credentials (default true in govstack dev)
  GOVSTACK_MESSAGING_SMTP_ADDR where Messaging delivers e-mail; unset, to govstack dev's own mailbox, whose page
                               (every e-mail sent, links clickable) is at GOVSTACK_DEV_MAILBOX_ADDR (default
                               127.0.0.1:8025); e.g. a local Mailpit on :1025 with GOVSTACK_MESSAGING_SMTP_TLS=none
  GOVSTACK_REGISTRATION_ADMIN_EMAIL, GOVSTACK_REGISTRATION_ADMIN_PASSWORD
                               the Registration administrator, who decides domain-access requests (default
                               ` + devstack.DevAdminEmail + ` / ` + devstack.DevAdminPassword + `)
  GOVSTACK_REGISTRATION_PUBLIC_URL  base of the links in registration e-mails (default: the portal's URL)
  GOVSTACK_LOG_LEVEL           debug, info, warn or error (default info)
  GOVSTACK_DEV_SEED            load the demo registries, hospitals, doctors and the administrator, and (in development
                               mode) the demo buyers, suppliers and tenders through the API (default true)
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "postgres" || args[0] == "test-postgres") {
		dataDir := os.Getenv("GOVSTACK_DATA_DIR")
		if dataDir == "" {
			dataDir = ".govstack"
		}
		if args[0] == "postgres" {
			return runPostgres(args[1:], dataDir, stdout, stderr)
		}
		return runTestPostgres(args[1:], dataDir, stdout, stderr)
	}
	dev := len(args) == 1 && args[0] == "dev"
	adminKey := len(args) == 2 && args[0] == "admin-key"
	if !dev && !adminKey {
		fmt.Fprint(stderr, usage)
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 2
	}
	cfg, err := config.Load[devstack.Config]()
	if err != nil {
		fmt.Fprintf(stderr, "govstack: configuration: %v\n", err)
		return 2
	}
	if adminKey {
		return printAdminKey(cfg, args[1], stdout, stderr)
	}
	log := observability.NewLogger(stderr, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := runDev(ctx, cfg, stdout, log); err != nil {
		fmt.Fprintf(stderr, "govstack: %v\n", err)
		return 1
	}
	return 0
}

// printAdminKey issues an admin key on the stack's gateway database.
func printAdminKey(cfg devstack.Config, client string, stdout, stderr io.Writer) int {
	c, err := imident.Parse(client)
	if err != nil {
		fmt.Fprintf(stderr, "govstack admin-key: %v\n", err)
		return 2
	}
	key, err := devstack.IssueAdminKey(context.Background(), cfg, c)
	if err != nil {
		fmt.Fprintf(stderr, "govstack admin-key: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "client:  %s\napi key: %s\n\nSend it as the X-GovStack-Api-Key header with X-GovStack-Client: %s. It is shown once; it is stored hashed.\n", c, key, c)
	return 0
}

// runDev runs the stack until ctx ends (SIGINT or SIGTERM).
func runDev(ctx context.Context, cfg devstack.Config, stdout io.Writer, log *slog.Logger) error {
	shutdownTracing, err := observability.SetupTracing(ctx, "govstack-dev")
	if err != nil {
		return err
	}
	defer func() { _ = shutdownTracing(context.Background()) }()

	userURL, userSet := os.LookupEnv("GOVSTACK_DATABASE_URL")
	url, where, stopPostgres, err := postgresFor(ctx, userURL, userSet && userURL != "", defaultServer(cfg.DatabaseURL),
		filepath.Join(cfg.DataDir, "postgres"), log)
	if err != nil {
		return err
	}
	defer stopPostgres() // after the stack has closed its connections: deferred calls run in reverse
	cfg.DatabaseURL = url
	mailbox, err := startMailbox(ctx, &cfg, log)
	if err != nil {
		return err
	}
	stack, err := devstack.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stack.Close()
	printBanner(stdout, stack, where, mailbox)
	seedCtx, stopSeed := context.WithCancel(ctx)
	seeded := make(chan struct{})
	go func() { defer close(seeded); seedDemoTenders(seedCtx, cfg, stack, log) }()
	go func() {
		<-ctx.Done()
		log.Info("govstack dev stopping: the portal, the REST and gRPC front doors finish what they accepted, " +
			"then the BBs' background work stops (at most GOVSTACK_SHUTDOWN_TIMEOUT each)")
	}()
	err = stack.Run(ctx)
	stopSeed() // before Close: the seed uses the stack's pools
	<-seeded
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	log.Info("govstack dev stopped")
	return err
}

// seedDemoTenders brings the demo procurement to its stages while the stack serves (GOVSTACK_DEV_SEED, in
// development mode): the tenders are made through the gateway, so they need it running.
func seedDemoTenders(ctx context.Context, cfg devstack.Config, stack *devstack.Stack, log *slog.Logger) {
	if !cfg.Seed || !stack.DevMode() {
		return
	}
	if err := stack.SeedDemoTenders(ctx); err != nil {
		if ctx.Err() == nil {
			log.Warn("the demo tenders are not all at their stages", "err", err)
		}
		return
	}
	log.Info("demo tenders ready (services/procurement/README.md, \"Demo data\")")
}
