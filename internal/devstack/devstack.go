// Package devstack runs every building block and the gateway in one process: `govstack dev` and the
// end-to-end tests use it. It is a convenience for newcomers and tests; production runs one process per BB
// (docker-compose.yml, deploy/), and this package wires the very same constructors those binaries use.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/services/registries"
)

// Config is what `govstack dev` reads: the well-known settings plus the gateway's own.
type Config struct {
	gateway.Config
	// DatabasePrefix names each BB's database: <prefix><bb>. Tests use a unique prefix per run.
	DatabasePrefix string `env:"GOVSTACK_DEV_DATABASE_PREFIX" envDefault:"govstack_"`
	// Seed loads the demo registries (idempotent).
	Seed bool `env:"GOVSTACK_DEV_SEED" envDefault:"true"`
}

// Stack is a running all-in-one deployment.
type Stack struct {
	cfg      Config
	log      *slog.Logger
	pool     *pgxpool.Pool
	nc       *nats.Conn
	embedded *natsbus.Embedded
	grpc     *grpcserver.Server
	conn     *grpc.ClientConn
	reg      *registries.Service
	gw       *gateway.Gateway
	http     net.Listener
	extra    map[string]net.Listener // standalone listeners by BB
}

// New prepares everything that can fail at start-up — databases, migrations, seed data, NATS, listeners —
// so that an error is reported before anything serves. Run then serves until its context ends.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Stack, error) {
	s := &Stack{cfg: cfg, log: log, extra: map[string]net.Listener{}}
	for _, step := range []func(context.Context) error{s.openDatabase, s.openNATS, s.startRegistries, s.startGateway} {
		if err := step(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Stack) openDatabase(ctx context.Context) error {
	name := s.cfg.DatabasePrefix + registries.Name
	if err := pgstore.EnsureDatabase(ctx, s.cfg.DatabaseURL, name); err != nil {
		return err
	}
	dbURL, err := withDatabase(s.cfg.DatabaseURL, name)
	if err != nil {
		return err
	}
	if s.pool, err = pgstore.Open(ctx, dbURL); err != nil {
		return err
	}
	if err := pgstore.Migrate(ctx, s.pool, registries.Migrations()...); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if s.cfg.Seed {
		if err := registries.Seed(ctx, s.pool); err != nil {
			return fmt.Errorf("seed demo registries: %w", err)
		}
	}
	return nil
}

// openNATS uses GOVSTACK_NATS_URL when set, otherwise an embedded JetStream server under the data dir.
func (s *Stack) openNATS(ctx context.Context) error {
	if s.cfg.NATSURL != "" {
		nc, err := natsbus.Connect(ctx, s.cfg.NATSURL, "govstack-dev", s.log)
		s.nc = nc
		return err
	}
	e, err := natsbus.StartEmbedded(filepath.Join(s.cfg.DataDir, "nats"), s.log)
	if err != nil {
		return fmt.Errorf("start embedded NATS in %s: %w", s.cfg.DataDir, err)
	}
	s.embedded, s.nc = e, e.Conn
	return nil
}

func (s *Stack) startRegistries(context.Context) error {
	js, err := jetstream.New(s.nc)
	if err != nil {
		return err
	}
	reg, err := registries.New(registries.Config{Common: s.cfg.Common},
		registries.Deps{Pool: s.pool, JetStream: js, Logger: s.log.With("bb", registries.Name)})
	if err != nil {
		return err
	}
	s.reg = reg
	s.grpc = grpcserver.New(grpcserver.Options{
		Name: registries.Name, Addr: s.cfg.RegistriesAddr, Logger: s.log.With("bb", registries.Name),
		Unary: reg.UnaryInterceptors(), ShutdownTimeout: s.cfg.ShutdownTimeout,
	})
	reg.Register(s.grpc.GRPC())
	return s.grpc.Listen()
}

func (s *Stack) startGateway(ctx context.Context) error {
	var err error
	if s.conn, err = gateway.Dial(ctx, s.grpc.Addr().String()); err != nil {
		return err
	}
	s.gw, err = gateway.New(s.cfg.Config, s.log.With("component", "gateway"),
		gateway.Upstream{BB: registries.Name, Conn: s.conn})
	if err != nil {
		return err
	}
	if s.http, err = net.Listen("tcp", s.cfg.HTTPAddr); err != nil {
		return fmt.Errorf("GOVSTACK_HTTP_ADDR: cannot listen on %s: %w", s.cfg.HTTPAddr, err)
	}
	for bb, addr := range s.cfg.StandaloneListeners() {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("GOVSTACK_GATEWAY_STANDALONE: cannot listen on %s for %s: %w", addr, bb, err)
		}
		s.extra[bb] = l
	}
	return nil
}

// URL is the gateway's base URL, e.g. http://127.0.0.1:8080.
func (s *Stack) URL() string { return "http://" + s.http.Addr().String() }

// StandaloneURL is the base URL of the standalone listener of bb, or "" when there is none.
func (s *Stack) StandaloneURL(bb string) string {
	if l, ok := s.extra[bb]; ok {
		return "http://" + l.Addr().String()
	}
	return ""
}

// NATS is the stack's NATS connection (embedded or external), for tests that watch the events.
func (s *Stack) NATS() *nats.Conn { return s.nc }

// Run serves until ctx is done, then shuts down in the documented order: stop accepting REST, drain gRPC
// (health NOT_SERVING first), stop background work, then NATS and the pool (in Close).
func (s *Stack) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.grpc.Run(ctx) })
	g.Go(func() error { return s.reg.Run(ctx) })
	g.Go(func() error { return s.gw.Serve(ctx, s.http, s.extra) })
	return g.Wait()
}

// Close releases what New acquired; call it after Run returns.
func (s *Stack) Close() {
	for _, l := range s.extra {
		_ = l.Close()
	}
	if s.http != nil {
		_ = s.http.Close()
	}
	if s.conn != nil {
		_ = s.conn.Close()
	}
	if s.embedded != nil {
		s.embedded.Shutdown()
	} else if s.nc != nil {
		_ = s.nc.Drain()
	}
	if s.pool != nil {
		s.pool.Close()
	}
}

// withDatabase returns serverURL with its database (the URL path) replaced by name.
func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", errors.New("GOVSTACK_DATABASE_URL: not a valid postgres:// URL")
	}
	u.Path = "/" + name
	return u.String(), nil
}

// DefaultConfig is Config with the defaults `govstack dev` documents, for tests.
func DefaultConfig() (Config, error) { return config.LoadFrom[Config](map[string]string{}) }
