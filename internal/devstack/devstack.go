// Package devstack runs every building block and the gateway in one process: `govstack dev` and the
// end-to-end tests use it. It is a convenience for newcomers and tests; production runs one process per BB
// (docker-compose.yml, deploy/), and this package wires the very same constructors those binaries use.
package devstack

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/lifecycle"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/govstackbb/marketplace/services/messaging"
	"github.com/govstackbb/marketplace/services/payments"
	"github.com/govstackbb/marketplace/services/procurement"
	"github.com/govstackbb/marketplace/services/registration"
	"github.com/govstackbb/marketplace/services/scheduling"
	"github.com/govstackbb/marketplace/services/workflow"
	portal "github.com/govstackbb/marketplace/web"
)

// Config is what `govstack dev` reads: the well-known settings plus the gateway's own.
type Config struct {
	gateway.Config
	// Messaging is the Messaging BB's own settings (SMTP, SMS provider, API keys, limits).
	Messaging messaging.Config
	// Scheduling is the Scheduling BB's own settings (timer polling).
	Scheduling scheduling.Config
	// Payments is the Payments BB's own settings (four eyes, approver roles, the rail, the background work).
	Payments payments.Config
	// Registration is the Registration BB's own settings (token lifetimes, links, the administrator). Its IM
	// address is always the in-process IM, and its public URL (the e-mailed links) is the portal's unless set.
	Registration registration.Config
	// Portal is the portal's settings (GOVSTACK_PORTAL_*); its gateway is always this stack's.
	Portal portal.Config
	// Workflow is the Workflow BB's own settings (timers, leases, connectors, calendar). Its connectors call
	// the other BBs through the in-process IM, with the development Messaging apiKey unless one is set.
	Workflow workflow.Config
	// Procurement is the procurement service's own settings (working-day length for demos, seal key file,
	// OCDS prefix, payer). It calls the BBs through the in-process IM; its seal key is made under the data folder.
	Procurement procurement.Config
	// DatabasePrefix names each BB's database: <prefix><bb>. Tests use a unique prefix per run.
	DatabasePrefix string `env:"GOVSTACK_DEV_DATABASE_PREFIX" envDefault:"govstack_"`
	// Seed loads the demo data (idempotent).
	Seed bool `env:"GOVSTACK_DEV_SEED" envDefault:"true"`
	// DevMode is the gateway's GOVSTACK_GATEWAY_DEV_MODE with the opposite default: a newcomer's first curl
	// (identity header, no credential) works. Set it to false to try the IM's authentication locally.
	DevMode bool `env:"GOVSTACK_GATEWAY_DEV_MODE" envDefault:"true"`
	// External names BBs that run as their own processes, by their gRPC address: the stack creates and
	// migrates their databases but does not run them, and its gateway forwards their calls to that address.
	// Tests use it to kill one BB's process (its binary) while the rest of the stack keeps running.
	External map[string]string
}

// OnFreePorts puts every listener of the stack — the gateway's REST and gRPC and each BB's gRPC — on a free
// loopback port, as tests do: they must pass while `make run` holds the default ones.
func (c *Config) OnFreePorts() {
	c.HTTPAddr, c.GRPCAddr, c.Portal.Addr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	c.Upstreams = map[string]string{}
	for _, bb := range catalog.Names() {
		c.Upstreams[bb] = "127.0.0.1:0"
	}
}

// Stack is a running all-in-one deployment.
type Stack struct {
	cfg      Config
	log      *slog.Logger
	nc       *nats.Conn
	js       jetstream.JetStream
	embedded *natsbus.Embedded
	bbs      []*runningBB
	gwPool   *pgxpool.Pool
	gw       *gateway.Gateway
	http     net.Listener
	grpc     net.Listener            // the IM's gRPC front door
	extra    map[string]net.Listener // standalone listeners by BB
	portal   *portal.Portal
	portalL  net.Listener
	// assertKey signs the IM's assertions; the BBs verify them with its public half, handed over in-process
	// (outside govstack dev they read it from the gateway's GOVSTACK_IM_KEYS_URL). A new key per start.
	assertKey ed25519.PrivateKey
}

// runningBB is one building block in the stack: its database pool, gRPC server and the service itself.
type runningBB struct {
	def  buildingBlock
	addr string // the address of a BB running as its own process (Config.External); "" when in-process
	pool *pgxpool.Pool
	grpc *grpcserver.Server
	svc  service
	conn *grpc.ClientConn // the gateway's connection to it
}

// New prepares everything that can fail at start-up — databases, migrations, seed data, NATS, listeners —
// so that an error is reported before anything serves. Run then serves until its context ends.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Stack, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	s := &Stack{cfg: cfg, log: log, extra: map[string]net.Listener{}, assertKey: key}
	// The IM's database and the listeners come before the BBs: a BB that calls others through the IM needs
	// its address (and, out of development mode, an API key) when it is built. The database comes first of
	// all: without Postgres nothing else is started, and no port is taken.
	steps := []func(context.Context) error{s.openGatewayDatabase, s.openNATS, s.listen, s.listenPortal}
	for _, def := range buildingBlocks {
		if addr, ok := cfg.External[def.name]; ok {
			steps = append(steps, func(ctx context.Context) error { return s.externalBB(ctx, def, addr) })
			continue
		}
		steps = append(steps, func(ctx context.Context) error { return s.startBB(ctx, def) })
	}
	steps = append(steps, s.startGateway, s.startPortal)
	for _, step := range steps {
		if err := step(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// openDatabase creates (if missing), opens and migrates the database <prefix><name>.
func (s *Stack) openDatabase(ctx context.Context, name string, sets []pgstore.MigrationSet) (*pgxpool.Pool, error) {
	db := s.cfg.DatabasePrefix + name
	if err := pgstore.EnsureDatabase(ctx, s.cfg.DatabaseURL, db); err != nil {
		return nil, err
	}
	dbURL, err := withDatabase(s.cfg.DatabaseURL, db)
	if err != nil {
		return nil, err
	}
	pool, err := pgstore.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, pool, sets...); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", db, err)
	}
	return pool, nil
}

// openNATS uses GOVSTACK_NATS_URL when set, otherwise an embedded JetStream server under the data dir.
func (s *Stack) openNATS(ctx context.Context) error {
	if s.cfg.NATSURL != "" {
		nc, err := natsbus.Connect(ctx, s.cfg.NATSURL, "govstack-dev", s.log)
		if err != nil {
			return err
		}
		s.nc = nc
	} else {
		e, err := natsbus.StartEmbedded(filepath.Join(s.cfg.DataDir, "nats"), s.log)
		if err != nil {
			return fmt.Errorf("start embedded NATS in %s: %w", s.cfg.DataDir, err)
		}
		s.embedded, s.nc = e, e.Conn
	}
	js, err := jetstream.New(s.nc)
	s.js = js
	return err
}

// startBB migrates and seeds the BB's database, builds it and binds its gRPC listener.
func (s *Stack) startBB(ctx context.Context, def buildingBlock) error {
	rb := &runningBB{def: def}
	s.bbs = append(s.bbs, rb) // before anything can fail, so Close releases what was opened
	log := s.log.With("bb", def.name)
	var err error
	if rb.pool, err = s.openDatabase(ctx, def.name, bbcmd.WithPlatformMigrations(def.migrations())); err != nil {
		return err
	}
	if s.cfg.Seed && def.seed != nil {
		if err := def.seed(ctx, s.cfg, rb.pool); err != nil {
			return fmt.Errorf("seed %s demo data: %w", def.name, err)
		}
	}
	// The BB labels its own logger with its name; handing it log would print "bb" twice on every line.
	env := buildEnv{pool: rb.pool, js: s.js, log: s.log, imAddr: s.GRPCAddr(),
		imAPIKey: func(client string) (string, error) { return s.bbAPIKey(ctx, client) }, tokenKeys: s.tokenKeys,
		portalURL: s.PortalURL(), gatewayURL: s.URL()}
	if rb.svc, err = def.build(s.cfg, env); err != nil {
		return err
	}
	im := s.assertionVerifier()
	rb.grpc = grpcserver.New(grpcserver.Options{
		Name: def.name, Addr: s.cfg.UpstreamAddr(def.name), Logger: log,
		Unary: bbcmd.Interceptors(def.name, rb.svc, rb.pool, log, im), Stream: bbcmd.StreamInterceptors(im),
		ShutdownTimeout: s.cfg.ShutdownTimeout, ServerOptions: bbcmd.ServerOptions(rb.svc),
		QuietMethods: bbcmd.QuietMethods(rb.svc),
	})
	rb.svc.Register(rb.grpc.GRPC())
	if err := rb.grpc.Listen(); err != nil {
		return err
	}
	rb.conn, err = gateway.Dial(ctx, rb.grpc.Addr().String())
	return err
}

// externalBB prepares a BB that runs as its own process at addr: its database, migrated, and the gateway's
// connection to it. Its seed is left to its own binary (`<bb> seed`).
func (s *Stack) externalBB(ctx context.Context, def buildingBlock, addr string) error {
	rb := &runningBB{def: def, addr: addr}
	s.bbs = append(s.bbs, rb)
	var err error
	if rb.pool, err = s.openDatabase(ctx, def.name, bbcmd.WithPlatformMigrations(def.migrations())); err != nil {
		return err
	}
	rb.conn, err = gateway.Dial(ctx, addr)
	return err
}

// listen binds the gateway's REST, gRPC (the IM's front door) and standalone listeners.
func (s *Stack) listen(context.Context) error {
	var err error
	if s.http, err = net.Listen("tcp", s.cfg.HTTPAddr); err != nil {
		return fmt.Errorf("GOVSTACK_HTTP_ADDR: cannot listen on %s: %w", s.cfg.HTTPAddr, err)
	}
	if s.grpc, err = net.Listen("tcp", s.cfg.GRPCListenAddr()); err != nil {
		return fmt.Errorf("GOVSTACK_GRPC_ADDR: cannot listen on %s for the IM's gRPC front door: %w", s.cfg.GRPCListenAddr(), err)
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

func (s *Stack) openGatewayDatabase(ctx context.Context) error {
	var err error
	s.gwPool, err = s.openDatabase(ctx, gateway.Name, gateway.Migrations())
	return err
}

func (s *Stack) startGateway(ctx context.Context) error {
	var ups []gateway.Upstream
	var names []string
	for _, rb := range s.bbs {
		ups = append(ups, gateway.Upstream{BB: rb.def.name, Conn: rb.conn})
		names = append(names, rb.def.name)
	}
	gcfg := s.cfg.Config
	gcfg.DevMode, gcfg.BBs = s.cfg.DevMode, strings.Join(names, ",")
	gcfg.TokenIssuer = s.cfg.Registration.TokenIssuer // the tokens verified here are this stack's Registration's
	if gcfg.PortalClients == "" {
		// The stack's portal acts for its signed-in administrators on the IM's administration pages (ADR 0016).
		gcfg.PortalClients = s.cfg.Portal.IMClient
	}
	deps := gateway.Deps{Pool: s.gwPool, JetStream: s.js, Logger: s.log.With("component", "gateway"), AssertionKey: s.assertKey}
	var err error
	s.gw, err = gateway.New(ctx, gcfg, deps, ups...)
	return err
}

// BBAddr is the gRPC address of building block bb, or "" when the stack does not run it.
func (s *Stack) BBAddr(bb string) string {
	for _, rb := range s.bbs {
		if rb.def.name == bb && rb.grpc == nil {
			return rb.addr
		}
		if rb.def.name == bb {
			return rb.grpc.Addr().String()
		}
	}
	return ""
}

// AdminEmail is the e-mail the Registration BB's administrator signs in with (seeded with the demo data).
func (s *Stack) AdminEmail() string { return devRegistration(s.cfg).AdminEmail }

// GRPCAddr is the IM's gRPC address, where BBs call each other.
func (s *Stack) GRPCAddr() string { return s.grpc.Addr().String() }

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
// (health NOT_SERVING first), stop background work, then NATS and the pools (in Close).
func (s *Stack) Run(ctx context.Context) error {
	gw, err := s.gw.Stages(gateway.Listeners{Main: s.http, GRPC: s.grpc, Standalone: s.extra})
	if err != nil {
		return err
	}
	portalFront, portalWork, err := s.portal.Stages(s.portalL)
	if err != nil {
		return err
	}
	// Stopping, in ARCHITECTURE.md §4's order: the portal finishes the pages it is serving (they call the
	// gateway), then the REST front door what it accepted, then the IM's gRPC front door (BB-to-BB calls
	// those requests make), then every BB's gRPC server, then the BBs' background work and the IM's message
	// log. Close then drains NATS and closes the pools.
	var servers, work lifecycle.Stage
	for _, rb := range s.bbs {
		if rb.svc == nil {
			continue // runs as its own process
		}
		servers = append(servers, rb.grpc.Run)
		work = append(work, rb.svc.Run)
	}
	work = append(work, portalWork...)
	return lifecycle.Run(ctx, portalFront, gw.REST, gw.GRPC, servers, append(work, gw.Background...))
}

// Close releases what New acquired; call it after Run returns.
func (s *Stack) Close() {
	for _, l := range s.extra {
		_ = l.Close()
	}
	for _, l := range []net.Listener{s.http, s.grpc, s.portalL} {
		if l != nil {
			_ = l.Close()
		}
	}
	for _, rb := range s.bbs {
		if rb.conn != nil {
			_ = rb.conn.Close()
		}
	}
	if s.embedded != nil {
		s.embedded.Shutdown() // drains its connection first
	} else if s.nc != nil {
		_ = natsbus.Drain(s.nc, s.cfg.ShutdownTimeout)
	}
	for _, rb := range s.bbs {
		if rb.pool != nil {
			rb.pool.Close()
		}
	}
	if s.gwPool != nil {
		s.gwPool.Close()
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

// DevMode reports whether the gateway trusts identity headers without credentials.
func (s *Stack) DevMode() bool { return s.cfg.DevMode }
