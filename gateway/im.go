package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/directory"
	"github.com/govstackbb/marketplace/gateway/internal/grpcproxy"
	"github.com/govstackbb/marketplace/gateway/internal/health"
	"github.com/govstackbb/marketplace/gateway/internal/keyfile"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/msglog"
	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/govstackbb/marketplace/gateway/internal/ratelimit"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/gateway/openapi"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/jwks"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
)

// Migrations is the schema of the IM's database: service registry, message and audit log, pub/sub.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{registry.Migrations(), msglog.Migrations(), pubsub.Migrations()}
}

// cacheTTL bounds how long an API key or a rights decision is remembered; changes evict at once (Cache).
const cacheTTL = 5 * time.Minute

// im is the Information Mediator's state: registry, message log, pub/sub broker and the settings the
// request path needs.
type im struct {
	cfg      Config
	registry *registry.Store
	cache    *registry.Cache // API keys → clients and rights decisions, dropped on every change
	log      *msglog.Log
	// checkpoints anchor the message log's chains; the verification API compares the chains with them.
	checkpoints msglog.Checkpoints
	broker      *pubsub.Broker
	dir         *directory.Handler
	limiter     *ratelimit.Limiter
	auth        authn.Options
	assert      *imassert.Signer // signs every call forwarded to a BB, which refuses calls without it
}

func newIM(ctx context.Context, cfg Config, deps Deps, bbs []string) (*im, error) {
	checkpoints, err := msglog.OpenCheckpoints(ctx, deps.JetStream, cfg.LogRetention)
	if err != nil {
		return nil, fmt.Errorf("gateway: message log: %w", err)
	}
	l, err := msglog.Open(ctx, deps.Pool, msglog.Options{
		KeyFile: cfg.MessageLogKeyFile(), Bodies: cfg.LogBodies, MaxBodyBytes: cfg.MaxBodyBytes,
		Retention: cfg.LogRetention, QueueSize: cfg.LogQueueSize, Checkpoints: checkpoints, CheckpointEvery: cfg.LogCheckpointInterval,
		Registerer: sharedRegisterer{prometheus.DefaultRegisterer}, Logger: deps.Logger.With("component", "message-log"),
	})
	if err != nil {
		return nil, fmt.Errorf("gateway: message log: %w", err)
	}
	m := &im{
		cfg: cfg, log: l, registry: registry.New(deps.Pool, l.Audit),
		limiter: ratelimit.New(cfg.RateLimit, cfg.RateBurst),
		auth: authn.Options{TrustClientHeader: cfg.DevMode,
			Failures: ratelimit.New(cfg.AuthFailureLimit, cfg.AuthFailureBurst)},
	}
	if m.assert, err = assertionSigner(cfg, deps); err != nil {
		return nil, err
	}
	m.cache = registry.NewCache(m.registry, cacheTTL, deps.Logger.With("component", "registry-cache"))
	if err := m.bootstrap(ctx, bbs); err != nil {
		return nil, err
	}
	m.checkpoints = checkpoints
	m.dir = &directory.Handler{Store: m.registry, Instance: cfg.Provider("").Instance, Domain: "govstack", Log: deps.Logger,
		Portals: cfg.Portals()}
	m.broker, err = pubsub.New(pubsub.Options{
		Pool: deps.Pool, JetStream: deps.JetStream, Logger: deps.Logger.With("component", "pubsub"),
		Authorize: m.authorizePubSub, BBEvents: bbEventTypes(cfg, bbs), Metrics: sharedRegisterer{prometheus.DefaultRegisterer},
		Audit: l.Audit, ValidateEndpoint: pushEndpointPolicy(cfg.DevMode),
	})
	if err != nil {
		return nil, fmt.Errorf("gateway: pub/sub: %w", err)
	}
	return m, nil
}

// assertionSigner signs the IM's per-call assertions with Deps.AssertionKey, or the key file (created on
// first start).
func assertionSigner(cfg Config, deps Deps) (*imassert.Signer, error) {
	key := deps.AssertionKey
	if key == nil {
		var err error
		if key, err = keyfile.LoadOrCreate(cfg.AssertionKeyPath()); err != nil {
			return nil, fmt.Errorf("gateway: the IM assertion key (GOVSTACK_GATEWAY_ASSERTION_KEY_FILE): %w", err)
		}
	}
	return imassert.NewSigner(key)
}

// assertionKeys serves the key set the BBs verify the IM's assertions with (GOVSTACK_IM_KEYS_URL).
func (m *im) assertionKeys() http.Handler {
	doc, err := jwks.Encode(m.assert.PublicKeys())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			rest.WriteError(w, r, http.StatusInternalServerError, codes.Internal, "internal error")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "max-age=60")
		_, _ = w.Write(doc)
	})
}

// bootstrap registers each BB's service (and its pub/sub room) under its provider, gives the configured
// clients the admin role, and in development mode grants every client everything.
func (m *im) bootstrap(ctx context.Context, bbs []string) error {
	specs := map[string][]byte{}
	if ss, err := openapi.BBSpecs(); err == nil {
		for _, s := range ss {
			specs[s.BB] = s.V3 // getOpenAPI serves OpenAPI 3, the version of the GovStack specifications
		}
	}
	addrs := m.cfg.UpstreamAddrs()
	for _, bb := range bbs {
		svc := registry.Service{Provider: m.cfg.Provider(bb), Code: bb, BB: bb, GRPCAddr: addrs[bb],
			OpenAPI: specs[bb], Enabled: true, Methods: Methods(bb)}
		room := registry.Service{Provider: m.cfg.Provider(bb), Code: pubsubService, Enabled: true}
		for _, s := range []registry.Service{svc, room} {
			if err := m.registry.EnsureService(ctx, s); err != nil {
				return fmt.Errorf("gateway: register %s in the IM registry: %w", s.Key(), err)
			}
			if err := m.devModeGrant(ctx, s.Ref()); err != nil {
				return err
			}
		}
	}
	if err := m.grantBBs(ctx, bbs); err != nil {
		return err
	}
	for _, admin := range m.cfg.Admins() {
		if err := m.registry.EnsureAdmin(ctx, admin); err != nil {
			return fmt.Errorf("gateway: GOVSTACK_GATEWAY_ADMIN_CLIENTS %s: %w", admin, err)
		}
	}
	return nil
}

// devModeGrant gives every client the whole service in development mode, and takes that grant back when
// the gateway starts without it, so a database once used in development mode does not stay open. Grants
// an admin made (to group all, say) are not touched: they are on another subject.
func (m *im) devModeGrant(ctx context.Context, ref registry.ServiceRef) error {
	dev := registry.Subject{Group: registry.GroupDevMode}
	var err error
	if m.cfg.DevMode {
		err = m.registry.Allow(ctx, dev, ref, "*")
	} else {
		err = m.registry.RevokeAll(ctx, dev, ref)
	}
	if err != nil {
		return fmt.Errorf("gateway: development-mode grant on %s: %w", ref, err)
	}
	return nil
}

// guard is the rights check on the gateway's connection to bb.
func (m *im) guard(bb string) mediate.Guard {
	return mediate.Guard{
		BB:             bb,
		Default:        mediate.Service{Provider: m.cfg.Provider(bb), Code: bb, BB: bb, Enabled: true},
		Rights:         m.cache,
		AllowAnonymous: m.cfg.DevMode,
		Annotate:       msglog.Annotate,
		Assert:         m.assert,
	}
}

// proxy is the gRPC front door for BB-to-BB calls to the given upstreams.
func (m *im) proxy(ups map[string]*grpc.ClientConn) *grpcproxy.Proxy {
	p := &grpcproxy.Proxy{Upstreams: map[string]grpcproxy.Upstream{}, Credentials: m.cache, Auth: m.auth, Rights: m.cache,
		Assert: m.assert}
	for bb, conn := range ups {
		p.Upstreams[bb] = grpcproxy.Upstream{Conn: conn, Service: m.guard(bb).Default}
	}
	return p
}

// registerAPIs mounts the IM's own APIs: directory and configuration, pub/sub, operational data.
func (m *im) registerAPIs(mux rest.Mux) {
	checked := textChecked{mux}
	m.dir.Register(checked)
	m.broker.Register(checked)
	m.log.Register(checked)
	const verification = "GET /api/v1/msglog/verification"
	checked.Handle(verification, rest.SetRoute(verification, m.dir.AdminOnly(m.log.VerificationHandler(m.verifyOptions))))
}

// verifyOptions are what the verification API trusts: the keys `gateway verify-log` trusts and the latest
// checkpoints. Checkpoints that cannot be read leave the chains checked without them, and the answer says so.
func (m *im) verifyOptions(ctx context.Context) (msglog.VerifyOptions, error) {
	o, err := verifyOptions(m.cfg)
	if err != nil {
		return o, err
	}
	if o.Checkpoints, err = m.checkpoints.Latest(ctx); err != nil {
		o.Checkpoints, o.CheckpointsNote = nil, "the checkpoints could not be read from JetStream"
	}
	return o, nil
}

// textChecked mounts every IM route behind rest.CheckText: NUL or bytes that are not UTF-8 in a path or
// query parameter are a 400 naming it, at one place for all the IM's APIs.
type textChecked struct{ mux rest.Mux }

func (c textChecked) Handle(pattern string, h http.Handler) {
	c.mux.Handle(pattern, rest.CheckText(pattern, h))
}

// readiness lists the IM's own parts /readyz must hear from: the message log.
func (m *im) readiness() []health.Component {
	return []health.Component{{Name: "message-log", Ready: m.log.Writer().Ready}}
}

func (m *im) messageLog(h http.Handler) http.Handler {
	return msglog.Middleware(m.log.Writer(), msglog.Options{Bodies: m.cfg.LogBodies, MaxBodyBytes: m.cfg.MaxBodyBytes})(h)
}

// Run does the IM's background work: the message-log writer and retention, and pub/sub deliveries.
func (m *im) Run(ctx context.Context) error {
	parent := ctx
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return m.log.Run(ctx) })
	eg.Go(func() error { return m.broker.Run(ctx) })
	eg.Go(func() error { return m.cache.Run(ctx) })
	err := eg.Wait()
	if parent.Err() != nil {
		return nil // stopped, possibly before a stream or table was ready: not a failure
	}
	return err
}

// sharedRegisterer registers with the default registry but accepts a collector that is already there.
// One process normally runs one gateway; tests run several, and the second one's message log and pub/sub
// metrics then stay unexported rather than failing start-up.
type sharedRegisterer struct{ prometheus.Registerer }

func (r sharedRegisterer) Register(c prometheus.Collector) error {
	err := r.Registerer.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		return nil
	}
	return err
}

func (r sharedRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
}
