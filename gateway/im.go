package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
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
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/jwks"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
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

// pubsubService is the service code under which a room's pub/sub rights are granted: endpoint
// "<action>:<eventType>" (or "*"), e.g. "subscribe:govstack.registries.v1.record.created".
const pubsubService = "pubsub"

// authorizePubSub lets a subsystem do anything in its own room, an admin anything anywhere, and anyone else
// what the room's owner granted on its pub/sub service.
func (m *im) authorizePubSub(ctx context.Context, caller, room imident.Client, action, eventType string) error {
	if caller == room {
		return nil
	}
	if admin, err := m.registry.IsAdmin(ctx, caller); err == nil && admin {
		return nil
	}
	svc := mediate.Service{Provider: room, Code: pubsubService, Enabled: true}
	endpoint := action + ":" + eventType
	ok, reason, err := m.registry.Allowed(ctx, caller, svc, endpoint)
	switch {
	case err != nil:
		return errors.New("the IM cannot check access rights right now; retry shortly")
	case !ok:
		msg := caller.String() + " may not " + action + " " + eventType + " in room " + room.String()
		if reason != "" {
			msg += ": " + reason
		}
		return errors.New(msg + "; ask the room's owner to grant " + pubsubService + " endpoint " + endpoint)
	}
	return nil
}

// bbEventTypes offers the events each BB publishes on its stream GOVSTACK_<BB> (the catalog's) as pub/sub
// event types in the BB provider's room. The account events of Registration carry single-use activation and
// reset links (for Messaging's e-mails): grant subscriptions to them only to a client that may act for the
// account holder.
func bbEventTypes(cfg Config, bbs []string) []pubsub.BBEventType {
	var out []pubsub.BBEventType
	for _, bb := range bbs {
		b, _ := catalog.Lookup(bb)
		for _, subject := range b.Events {
			out = append(out, pubsub.BBEventType{Name: subject, Stream: natsbus.StreamName(bb), Subject: subject, Room: cfg.Provider(bb)})
		}
	}
	return out
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

// pushEndpointPolicy keeps subscribers from making the gateway POST into its own network: a push endpoint
// must be http(s) on a public address. Development mode allows loopback and private addresses, where a
// developer's receiver runs.
func pushEndpointPolicy(dev bool) func(*url.URL) error {
	return func(u *url.URL) error {
		if u.Scheme != "https" && u.Scheme != "http" {
			return errors.New("the push endpoint must be an http or https URL")
		}
		if dev {
			return nil
		}
		host := u.Hostname()
		if host == "localhost" || strings.HasSuffix(host, ".localhost") {
			return errors.New("the push endpoint must not be a loopback address")
		}
		ips, err := net.LookupIP(host)
		if err != nil || len(ips) == 0 {
			return fmt.Errorf("the push endpoint's host %s does not resolve", host)
		}
		for _, ip := range ips {
			if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() {
				return fmt.Errorf("the push endpoint's host %s is an internal address (%s); use a public endpoint", host, ip)
			}
		}
		return nil
	}
}

// IssueAPIKey registers client in the IM database and issues it an API key (plaintext, shown once), making
// it an admin when admin is set: `gateway issue-key` / `gateway admin-key`, and tools that set up a stack.
// The change is in the audit log.
func IssueAPIKey(ctx context.Context, cfg Config, pool *pgxpool.Pool, client imident.Client, admin bool) (key, id string, err error) {
	l, err := msglog.Open(ctx, pool, msglog.Options{KeyFile: cfg.MessageLogKeyFile()})
	if err != nil {
		return "", "", err
	}
	reg := registry.New(pool, l.Audit)
	if err := reg.RegisterSubsystem(ctx, client); err != nil {
		return "", "", err
	}
	if admin {
		return reg.BootstrapAdminKey(ctx, client)
	}
	return reg.IssueAPIKey(ctx, client)
}

// ErrCheckpointsNeeded is VerifyLog's answer without a JetStream to read the checkpoints from.
var ErrCheckpointsNeeded = errors.New("verify-log needs the message log's checkpoints to see a cut tail (the last records " +
	"deleted and the chain head moved back), and has no NATS to read them from: set GOVSTACK_NATS_URL to the NATS " +
	"server the gateway writes them to (stream " + msglog.CheckpointStream + "), or run `gateway verify-log " +
	"--no-checkpoints` to check the chains alone, knowing that a cut tail then cannot be detected")

// VerifyLog checks every chain of the message and audit logs in pool and writes the report to out:
// `gateway verify-log`. It trusts every key of the keyring next to the signing key (each in its period),
// the signing key itself and GOVSTACK_GATEWAY_LOG_VERIFY_KEYS, and compares each chain with its latest
// checkpoint in JetStream. Without js (ErrCheckpointsNeeded), or when the checkpoints cannot be read, it
// fails rather than report a log whose tail may have been cut as intact. It returns an error when any chain
// is broken.
func VerifyLog(ctx context.Context, cfg Config, pool *pgxpool.Pool, js jetstream.JetStream, out io.Writer) error {
	if js == nil {
		return ErrCheckpointsNeeded
	}
	o, err := verifyOptions(cfg)
	if err != nil {
		return err
	}
	cps, err := msglog.ReadCheckpoints(ctx, js)
	if err == nil {
		o.Checkpoints, err = cps.Latest(ctx)
	}
	if err != nil {
		return fmt.Errorf("verify-log cannot read the message log's checkpoints from GOVSTACK_NATS_URL, so it could not see a "+
			"cut tail: %w (is it the NATS server the gateway writes them to? `gateway verify-log --no-checkpoints` checks "+
			"the chains alone)", err)
	}
	return msglog.VerifyCommand(ctx, pool, o, out)
}

// VerifyLogWithoutCheckpoints is VerifyLog without the checkpoints, for an operator who asked for it
// (`gateway verify-log --no-checkpoints`): every record, link and signature is checked, but a cut tail
// cannot be detected, and the report says so.
func VerifyLogWithoutCheckpoints(ctx context.Context, cfg Config, pool *pgxpool.Pool, out io.Writer) error {
	o, err := verifyOptions(cfg)
	if err != nil {
		return err
	}
	o.CheckpointsNote = "--no-checkpoints"
	return msglog.VerifyCommand(ctx, pool, o, out)
}

func verifyOptions(cfg Config) (msglog.VerifyOptions, error) {
	var o msglog.VerifyOptions
	keyFile := cfg.MessageLogKeyFile()
	ring, err := msglog.ReadKeyring(msglog.KeyringPath(keyFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return o, err
	}
	o.Keys = ring
	files := splitList(cfg.LogVerifyKeys)
	if len(ring) == 0 {
		files = append(files, keyFile) // no keyring: the key file (or its .pub) is all there is
	}
	extra, err := msglog.LoadPublicKeys(files...)
	if err != nil {
		return o, err
	}
	for _, k := range extra {
		o.Keys = append(o.Keys, msglog.TrustedKey{Public: k})
	}
	return o, nil
}
