// Package bbcmd is the command line every building block's binary shares: `<bb> serve | migrate | seed |
// healthcheck`, settings from GOVSTACK_* variables, and the start-up and shutdown order of ARCHITECTURE.md
// §4. A BB's cmd/<bb> describes itself in a Command and hands over to it.
package bbcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/jwks"
	"github.com/govstackbb/marketplace/platform/lifecycle"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/observability"
	"github.com/govstackbb/marketplace/platform/pgstore"
)

// Exit codes: 2 for a wrong command line, 1 for a failure.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// Service is a building block as its binary runs it: the methods every BB's entry point has.
type Service interface {
	Register(*grpc.Server)
	UnaryInterceptors() []grpc.UnaryServerInterceptor
	Run(context.Context) error
}

// ServerOptions returns the gRPC server options a BB asks for by having a method
// ServerOptions() []grpc.ServerOption (e.g. a larger message size for uploads); none otherwise.
func ServerOptions(svc Service) []grpc.ServerOption {
	if o, ok := svc.(interface{ ServerOptions() []grpc.ServerOption }); ok {
		return o.ServerOptions()
	}
	return nil
}

// QuietMethods are the methods svc asks to be logged at debug when they succeed (its long polls), if any.
func QuietMethods(svc Service) []string {
	if o, ok := svc.(interface{ QuietMethods() []string }); ok {
		return o.QuietMethods()
	}
	return nil
}

// Interceptors are the BB's unary interceptors: first the check that the call came through the IM
// (platform/imassert; im nil skips it), then the BB's own, then the platform's idempotent retries of
// mutating calls (platform/idempotency), after the BB's authentication so a kept answer goes only to a
// caller who may have it.
func Interceptors(bb string, svc Service, pool *pgxpool.Pool, log *slog.Logger, im *imassert.Verifier) []grpc.UnaryServerInterceptor {
	var out []grpc.UnaryServerInterceptor
	if im != nil {
		out = append(out, imassert.UnaryServerInterceptor(im))
	}
	out = append(out, svc.UnaryInterceptors()...)
	return append(out, idempotency.Interceptor(bb, pool, idempotency.Options{Logger: log}))
}

// StreamInterceptors are the BB's stream interceptors: the check that the call came through the IM.
func StreamInterceptors(im *imassert.Verifier) []grpc.StreamServerInterceptor {
	if im == nil {
		return nil
	}
	return []grpc.StreamServerInterceptor{imassert.StreamServerInterceptor(im)}
}

// IMVerifier is how serve checks that calls come through the IM: the keys at GOVSTACK_IM_KEYS_URL; nil
// (no check, with a warning) when GOVSTACK_IM_ALLOW_DIRECT_CALLS is set; an error saying what to set
// otherwise, because a BB that trusts whoever reaches its port gives personal data to anyone on the network.
func IMVerifier(common config.Common, log *slog.Logger) (*imassert.Verifier, error) {
	switch {
	case common.IMKeysURL != "":
		return imassert.NewVerifier(jwks.HTTPSource(nil, common.IMKeysURL)), nil
	case common.AllowDirectCalls:
		log.Warn("GOVSTACK_IM_ALLOW_DIRECT_CALLS: this building block serves calls that did not come through the " +
			"Information Mediator and trusts the identity they claim. Never use this beyond your own machine.")
		return nil, nil
	}
	return nil, imSettingsError(common)
}

// imSettingsError says what to set when serve has no way to check that calls come through the IM.
func imSettingsError(common config.Common) error {
	if common.IMKeysURL != "" || common.AllowDirectCalls {
		return nil
	}
	return errors.New("GOVSTACK_IM_KEYS_URL: required by serve, so that only calls through the Information Mediator " +
		"are answered: the IM's key set, e.g. http://gateway:8080" + imassert.KeysPath +
		" (on a development machine, GOVSTACK_IM_ALLOW_DIRECT_CALLS=true serves any caller)")
}

// WithPlatformMigrations adds the schema of what the platform keeps in every BB's database to the BB's own.
func WithPlatformMigrations(sets []pgstore.MigrationSet) []pgstore.MigrationSet {
	return append(append([]pgstore.MigrationSet{}, sets...), idempotency.Migrations)
}

// Conns are the connections serve opens for the BB; the command owns and closes them.
type Conns struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
}

// Command describes one BB's binary: what is its own (its name, what its commands do, its settings, how it is
// built); bbcmd writes the rest, the standard commands and the common settings, once for every BB. C is the
// BB's Config, which embeds config.Common.
type Command[C any] struct {
	Name            string // e.g. "registries": database govstack_<Name>, stream GOVSTACK_<NAME>
	DefaultGRPCAddr string

	// What -h says of this BB (see Usage): a one-line Summary; what serve runs ("the gRPC API (…) and the
	// event relay"); what migrate does besides the schema, if anything; what seed loads after migrating;
	// and a description of each setting of C beyond config.Common, by variable name (bbcmd adds the default
	// from the envDefault tag).
	Summary  string
	Serves   string
	Migrates string
	Seeds    string
	Settings map[string]string

	Migrations func() []pgstore.MigrationSet                    // the BB's schema
	Seed       func(context.Context, C, *pgxpool.Pool) error    // demo data; nil: no seed command
	New        func(context.Context, C, Conns) (Service, error) // builds the BB on open connections
}

// Main is a BB binary's main: it runs the command of the process's arguments with its environment until
// SIGINT or SIGTERM, and exits with the command's code.
func (c Command[C]) Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := c.Run(ctx, os.Args[1:], Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run executes one command and returns the exit code. Everything outside comes in as arguments (the
// environment as a map), so tests drive it without touching the process.
func (c Command[C]) Run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, c.Usage())
		return ExitUsage
	}
	commands := map[string]func(context.Context, C, *slog.Logger) error{
		"serve": c.serve, "migrate": c.migrate, "healthcheck": c.healthcheck,
	}
	if c.Seed != nil {
		commands["seed"] = c.seed
	}
	switch cmd, ok := commands[args[0]]; {
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, c.Usage())
		return ExitOK
	case !ok || len(args) > 1:
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n%s", c.Name, strings.Join(args, " "), c.Usage())
		return ExitUsage
	default:
		cfg, err := config.LoadFrom[C](env)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
			return ExitFailure
		}
		log := observability.NewLogger(stderr, commonOf(&cfg).LogLevel).With("service", c.Name)
		if err := cmd(ctx, cfg, log); err != nil {
			log.Error(c.Name+" "+args[0]+" failed", "error", err.Error())
			return ExitFailure
		}
		return ExitOK
	}
}

// commonOf returns the config.Common inside cfg: its first field of that type, normally the embedded one.
// It panics when C has none, which the first test of the BB's binary shows.
func commonOf[C any](cfg *C) *config.Common {
	v := reflect.ValueOf(cfg).Elem()
	if v.Kind() == reflect.Struct {
		for i := range v.NumField() {
			if f := v.Field(i); f.Type() == reflect.TypeFor[config.Common]() {
				return f.Addr().Interface().(*config.Common)
			}
		}
	}
	panic(fmt.Sprintf("bbcmd: %s has no config.Common field", v.Type()))
}

// serve opens the database and NATS, builds the BB and serves it until ctx is done; then it shuts down in
// the order of ARCHITECTURE.md §4: health NOT_SERVING and a bounded GracefulStop (inside grpcserver.Run),
// then the BB's background work, then drain NATS, then close the pool.
func (c Command[C]) serve(ctx context.Context, cfg C, log *slog.Logger) error {
	common := commonOf(&cfg)
	if common.NATSURL == "" {
		return errors.New("GOVSTACK_NATS_URL: required by serve (events go through NATS JetStream), e.g. nats://127.0.0.1:4222")
	}
	if err := imSettingsError(*common); err != nil {
		return err
	}
	shutdownTracing, err := observability.SetupTracing(ctx, c.Name)
	if err != nil {
		return err
	}
	defer shutdownQuietly(shutdownTracing, common.ShutdownTimeout)
	url, err := common.DatabaseURLFor(c.Name)
	if err != nil {
		return err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	nc, err := natsbus.Connect(ctx, common.NATSURL, c.Name, log)
	if err != nil {
		return err
	}
	// Runs before pool.Close (deferred calls unwind in reverse): what consumers still handle may write.
	defer func() {
		if err := natsbus.Drain(nc, common.ShutdownTimeout); err != nil {
			log.Warn("nats drain", "error", err)
		}
	}()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	return c.ServeOn(ctx, cfg, Conns{Pool: pool, JetStream: js, Logger: log}, nil)
}

// ServeOn builds the BB on conns (New) and serves it as serve does until ctx is done, on connections the
// caller owns and closes; ready, when set, is called with the server once it listens (for tests).
func (c Command[C]) ServeOn(ctx context.Context, cfg C, conns Conns, ready func(*grpcserver.Server)) error {
	if conns.Logger == nil {
		conns.Logger = slog.Default()
	}
	svc, err := c.New(ctx, cfg, conns)
	if err != nil {
		return err
	}
	return c.Serve(ctx, cfg, svc, conns.Pool, conns.Logger, ready)
}

// Serve runs svc's gRPC server, its background work and the metrics listener until ctx is done; pool is the
// BB's database, where the platform keeps what it does for every BB (the answers of idempotent calls);
// ready, when set, is called with the server once it listens (for tests).
func (c Command[C]) Serve(ctx context.Context, cfg C, svc Service, pool *pgxpool.Pool, log *slog.Logger, ready func(*grpcserver.Server)) error {
	common := commonOf(&cfg)
	addr := common.GRPCAddr
	if addr == "" {
		addr = c.DefaultGRPCAddr
	}
	im, err := IMVerifier(*common, log)
	if err != nil {
		return err
	}
	srv := grpcserver.New(grpcserver.Options{Name: c.Name, Addr: addr, Logger: log,
		Unary: Interceptors(c.Name, svc, pool, log, im), Stream: StreamInterceptors(im),
		ShutdownTimeout: common.ShutdownTimeout, ServerOptions: ServerOptions(svc), QuietMethods: QuietMethods(svc)})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		return err
	}
	log.Info(c.Name+" serving", "grpc_addr", srv.Addr().String())
	if ready != nil {
		ready(srv)
	}
	// Stopping: the gRPC server goes NOT_SERVING and finishes its calls, then the BB's background work
	// (relays, consumers, timers) stops, then /metrics; serve then drains NATS and closes the pool.
	return lifecycle.Run(ctx,
		lifecycle.Stage{srv.Run},
		lifecycle.Stage{svc.Run},
		lifecycle.Stage{func(ctx context.Context) error { return observability.ServeMetrics(ctx, common.MetricsAddr, log) }})
}

// healthcheck probes a running server with the same settings; docker-compose and Kubernetes call it, since
// the distroless images have no grpc_health_probe.
func (c Command[C]) healthcheck(ctx context.Context, cfg C, _ *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addr := commonOf(&cfg).GRPCAddr
	if addr == "" {
		addr = c.DefaultGRPCAddr
	}
	return grpcserver.Probe(ctx, addr)
}

// migrate creates the BB's database when missing and applies every migration set.
func (c Command[C]) migrate(ctx context.Context, cfg C, log *slog.Logger) error {
	pool, err := c.OpenMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	pool.Close()
	log.Info("database migrated", "database", "govstack_"+c.Name)
	return nil
}

// seed migrates, then loads the demo data.
func (c Command[C]) seed(ctx context.Context, cfg C, log *slog.Logger) error {
	pool, err := c.OpenMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := c.Seed(ctx, cfg, pool); err != nil {
		return err
	}
	log.Info("demo data seeded")
	return nil
}

// OpenMigrated creates the database govstack_<Name> when missing, opens it and applies the migrations.
func (c Command[C]) OpenMigrated(ctx context.Context, cfg C) (*pgxpool.Pool, error) {
	common := commonOf(&cfg)
	url, err := common.DatabaseURLFor(c.Name)
	if err != nil {
		return nil, err
	}
	if err := pgstore.EnsureDatabase(ctx, common.DatabaseURL, "govstack_"+c.Name); err != nil {
		return nil, err
	}
	pool, err := pgstore.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, pool, WithPlatformMigrations(c.Migrations())...); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// Environ returns the process environment as a map, the form config.LoadFrom reads.
func Environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

func shutdownQuietly(shutdown func(context.Context) error, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_ = shutdown(ctx)
}
