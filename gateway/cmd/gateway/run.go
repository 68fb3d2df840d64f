package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"syscall"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/observability"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
)

// commonSettings are the config.Common variables the gateway uses; -h lists them with its own.
var commonSettings = map[string]bool{
	"GOVSTACK_HTTP_ADDR": true, "GOVSTACK_GRPC_ADDR": true, "GOVSTACK_DATABASE_URL": true, "GOVSTACK_NATS_URL": true,
	"GOVSTACK_DATA_DIR": true, "GOVSTACK_LOG_LEVEL": true, "GOVSTACK_SHUTDOWN_TIMEOUT": true,
}

const commands = `usage: gateway <command>

The GovStack Information Mediator: REST and gRPC in front of the building blocks.

Commands:
  serve                     serve REST (GOVSTACK_HTTP_ADDR), BB-to-BB gRPC (GOVSTACK_GRPC_ADDR), the IM's APIs,
                            /docs, /openapi, /healthz, /readyz and /metrics until SIGINT/SIGTERM
  migrate                   create the database govstack_gateway if missing and apply its migrations
  healthcheck               exit 0 when the gateway at GOVSTACK_HTTP_ADDR answers /healthz (container health checks)
  admin-key CLIENT          give CLIENT (INSTANCE/CLASS/MEMBER/SUBSYSTEM) the admin role and print a new IM API key
                            for it: the first credential of a fresh IM, run on the gateway host
  issue-key CLIENT          register the subsystem CLIENT and print a new IM API key for it
  verify-log [--no-checkpoints]
                            check the message and audit logs' hash chains and signatures, and every chain against
                            its latest checkpoint in the JetStream of GOVSTACK_NATS_URL (a cut tail shows only
                            there); exit 1 at the first tampered, missing or cut record of any chain, and when
                            the checkpoints cannot be read. --no-checkpoints checks the chains alone and warns
                            that a cut tail then cannot be detected
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "-h" || cmd == "--help" || cmd == "help":
		usage(stdout)
		return 0
	case cmd == "healthcheck" && len(rest) == 0:
		return healthcheck(stderr)
	case cmd == "serve" && len(rest) == 0:
		err = serve(ctx, stderr)
	case cmd == "migrate" && len(rest) == 0:
		err = withDatabase(ctx, func(context.Context, gateway.Config, *pgxpool.Pool) error { return nil })
	case cmd == "verify-log":
		skip, ok := verifyLogArgs(rest)
		if !ok {
			fmt.Fprintf(stderr, "gateway: verify-log takes --no-checkpoints or nothing, not %q\n\n", strings.Join(rest, " "))
			usage(stderr)
			return 2
		}
		if skip {
			fmt.Fprint(stderr, checkpointWarning)
		} else if os.Getenv("GOVSTACK_NATS_URL") == "" {
			err = gateway.ErrCheckpointsNeeded // before the database: say what to set at once
			break
		}
		err = withDatabase(ctx, func(ctx context.Context, cfg gateway.Config, pool *pgxpool.Pool) error {
			return verifyLog(ctx, cfg, pool, skip, stdout)
		})
	case (cmd == "issue-key" || cmd == "admin-key") && len(rest) == 1:
		err = withDatabase(ctx, func(ctx context.Context, cfg gateway.Config, pool *pgxpool.Pool) error {
			return issueKey(ctx, cfg, pool, rest[0], cmd == "admin-key", stdout)
		})
	default:
		fmt.Fprintf(stderr, "gateway: unknown command %q\n\n", strings.Join(args, " "))
		usage(stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, logOut io.Writer) (err error) {
	cfg, err := config.Load[gateway.Config]()
	if err != nil {
		return err
	}
	log := observability.NewLogger(logOut, cfg.LogLevel)
	shutdownTracing, err := observability.SetupTracing(ctx, "gateway")
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	defer func() {
		// Flush spans even after ctx is cancelled by the signal that stops us.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if terr := shutdownTracing(sctx); terr != nil {
			log.Warn("tracing shutdown", "error", terr)
		}
	}()
	pool, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	nc, err := natsbus.Connect(ctx, cfg.NATSURL, "gateway", log)
	if err != nil {
		return err
	}
	defer func() { _ = natsbus.Drain(nc, cfg.ShutdownTimeout) }()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	var ups []gateway.Upstream
	for bb, addr := range cfg.UpstreamAddrs() {
		conn, err := gateway.Dial(ctx, addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		ups = append(ups, gateway.Upstream{BB: bb, Conn: conn})
	}
	g, err := gateway.New(ctx, cfg, gateway.Deps{Pool: pool, JetStream: js, Logger: log}, ups...)
	if err != nil {
		return err
	}
	log.Info("gateway starting", "bbs", strings.Join(cfg.BBList(), ","))
	return g.Run(ctx)
}

// withDatabase loads the settings, opens the migrated IM database and runs fn on it.
func withDatabase(ctx context.Context, fn func(context.Context, gateway.Config, *pgxpool.Pool) error) error {
	cfg, err := config.Load[gateway.Config]()
	if err != nil {
		return err
	}
	pool, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	return fn(ctx, cfg, pool)
}

// databaseName is the IM's database on the server of GOVSTACK_DATABASE_URL; tests point it at a throwaway one.
var databaseName = "govstack_" + gateway.Name

// openDatabase creates the IM's database when missing, opens it and applies its migrations.
func openDatabase(ctx context.Context, cfg gateway.Config) (*pgxpool.Pool, error) {
	url, err := cfg.DatabaseURLFor(gateway.Name)
	if err != nil {
		return nil, err
	}
	url = strings.Replace(url, "/govstack_"+gateway.Name, "/"+databaseName, 1)
	if err := pgstore.EnsureDatabase(ctx, cfg.DatabaseURL, databaseName); err != nil {
		return nil, err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, pool, gateway.Migrations()...); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, commands)
	fmt.Fprintln(w, "\nSettings (environment variables):")
	for _, s := range settings(reflect.TypeFor[gateway.Config]()) {
		fmt.Fprintf(w, "  %-40s default %q\n", s.name, s.def)
	}
	for _, b := range catalog.All { // read by name (gateway.Config.FromVars), not from a struct tag
		fmt.Fprintf(w, "  %-40s default %q\n", b.AddrEnv(), b.DefaultAddr())
	}
	fmt.Fprintln(w, "  OTEL_EXPORTER_OTLP_ENDPOINT              send traces over OTLP when set")
}

type setting struct{ name, def string }

// settings lists the variables from the struct tags, so -h cannot drift from what Load reads.
func settings(t reflect.Type) []setting {
	var out []setting
	for f := range t.Fields() {
		if f.Anonymous {
			for _, s := range settings(f.Type) {
				if f.Type != reflect.TypeFor[config.Common]() || commonSettings[s.name] {
					out = append(out, s)
				}
			}
			continue
		}
		if name := f.Tag.Get("env"); name != "" {
			out = append(out, setting{name, f.Tag.Get("envDefault")})
		}
	}
	return out
}
