// Package gateway is the GovStack Information Mediator (ARCHITECTURE.md §5, ADR 0006): the REST front door
// that turns GovStack REST calls into gRPC calls on the building blocks, and the gRPC front door for
// BB-to-BB calls. Every call is authenticated (API key or client certificate; the identity header is only
// a claim), rate limited, checked against the access rights in the service registry, and written to the
// signed message log. It also serves the directory, configuration, pub/sub and operational-data APIs,
// health, metrics and the OpenAPI documents, with one JSON error format and the older path spellings the
// GovStack test suites use.
//
// Decisions worth knowing:
//   - Error codes are gRPC code names in UPPER_SNAKE; statuses the gateway decides itself keep the closest
//     code: 405 is UNIMPLEMENTED (grpc-gateway's own choice), 413 is INVALID_ARGUMENT.
//   - A BB may set response header metadata x-http-code to a 2xx status (e.g. 204); other values are ignored.
//   - Only the identity, x-request-id, Authorization and the Messaging headers reach a BB; Grpc-Metadata-*
//     headers are not forwarded.
//   - A user access token (Authorization: Bearer, issued by Registration) is verified here when Registration
//     is behind the gateway, and again by the BB (ADR 0007); the keys are public at /.well-known/jwks.json.
package gateway

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/docs"
	"github.com/govstackbb/marketplace/gateway/internal/grpcproxy"
	"github.com/govstackbb/marketplace/gateway/internal/health"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/gateway/openapi"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/observability"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Name is the IM's name among the services: its database is govstack_gateway.
const Name = "gateway"

// readyTimeout bounds each upstream's health check in /readyz.
const readyTimeout = time.Second

// BBs lists the building blocks the gateway can serve (proto/govstack/catalog), sorted.
func BBs() []string {
	return slices.Sorted(slices.Values(catalog.Names()))
}

// restServices are the generated grpc-gateway registrations of bb's services (the catalog's).
func restServices(bb string) []catalog.RESTService {
	b, _ := catalog.Lookup(bb)
	return b.REST
}

// Upstream is the gRPC connection to one building block.
type Upstream struct {
	BB   string // e.g. "registries"
	Conn *grpc.ClientConn
}

// Deps are what the gateway runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool       // the IM's database (govstack_gateway), migrated with Migrations()
	JetStream jetstream.JetStream // pub/sub and the BB event bridge
	Logger    *slog.Logger
	// AssertionKey, when set, signs the IM's assertions to the BBs instead of the key in
	// GOVSTACK_GATEWAY_ASSERTION_KEY_FILE (govstack dev hands the same key's public half to its BBs).
	AssertionKey ed25519.PrivateKey
}

// Gateway serves the building blocks' REST APIs and the IM. Build it with New.
type Gateway struct {
	cfg        Config
	log        *slog.Logger
	im         *im
	listeners  []listener
	main       http.Handler
	standalone map[string]http.Handler
	proxy      *grpcproxy.Proxy
	tls        *tls.Config
	// keys and tokens are the Registration BB's token signing keys and the verifier built on them; nil
	// when Registration is not behind this gateway (user tokens then reach the BBs unchecked here).
	keys   usertoken.KeySource
	tokens *usertoken.Verifier
}

// New builds the gateway for the given upstreams and bootstraps the IM's registry (the BBs' services, the
// configured admins, development-mode grants); it does not listen (see Run). The caller owns the
// connections and closes them after Run returns.
func New(ctx context.Context, cfg Config, deps Deps, upstreams ...Upstream) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Pool == nil || deps.JetStream == nil {
		return nil, errors.New("gateway: Deps.Pool and Deps.JetStream are required (the IM keeps its registry and message log in Postgres, pub/sub in JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	ups, err := checkUpstreams(upstreams)
	if err != nil {
		return nil, err
	}
	listeners, _ := cfg.standalone() // validated above
	for _, l := range listeners {
		if ups[l.BB] == nil {
			return nil, fmt.Errorf("GOVSTACK_GATEWAY_STANDALONE: %s has no upstream connection", l.BB)
		}
	}
	g := &Gateway{cfg: cfg, log: deps.Logger, listeners: listeners, standalone: map[string]http.Handler{}}
	if g.tls, err = cfg.TLS(); err != nil {
		return nil, err
	}
	bbs := sortedBBs(ups)
	if g.im, err = newIM(ctx, cfg, deps, bbs); err != nil {
		return nil, err
	}
	if conn := ups[registrationBB]; conn != nil {
		g.keys = jwksSource(conn, g.im.assert)
		g.tokens = usertoken.NewVerifier(usertoken.VerifierOptions{Keys: g.keys, Issuer: cfg.TokenIssuer})
		g.im.dir.Persons = g.tokens // a portal may act for a signed-in administrator (ADR 0016)
	}
	if cfg.DevMode {
		g.log.Warn("DEVELOPMENT MODE (GOVSTACK_GATEWAY_DEV_MODE): client identity headers are trusted without " +
			"credentials and every client may call every building block. Never use this beyond your own machine.")
	}
	metrics, err := rest.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return nil, fmt.Errorf("gateway: metrics: %w", err)
	}
	d, err := newDocs()
	if err != nil {
		return nil, err
	}
	if g.main, err = g.mainHandler(ups, bbs, metrics, d); err != nil {
		return nil, err
	}
	for _, bb := range bbs {
		if g.standalone[bb], err = g.standaloneHandler(bb, ups[bb], metrics); err != nil {
			return nil, err
		}
	}
	g.proxy = g.im.proxy(ups)
	return g, nil
}

func checkUpstreams(upstreams []Upstream) (map[string]*grpc.ClientConn, error) {
	ups := map[string]*grpc.ClientConn{}
	for _, u := range upstreams {
		switch {
		case restServices(u.BB) == nil:
			return nil, fmt.Errorf("gateway: unknown building block %q", u.BB)
		case u.Conn == nil:
			return nil, fmt.Errorf("gateway: upstream %s has no connection", u.BB)
		case ups[u.BB] != nil:
			return nil, fmt.Errorf("gateway: upstream %s given twice", u.BB)
		}
		ups[u.BB] = u.Conn
	}
	return ups, nil
}

func newDocs() (*docs.Docs, error) {
	specs, err := openapi.Specs()
	if err != nil {
		return nil, err
	}
	ds := make([]docs.Spec, len(specs))
	for i, s := range specs {
		ds[i] = docs.Spec{BB: s.BB, JSON: s.JSON, V3: s.V3}
	}
	as := make([]docs.Alias, len(rest.Aliases))
	for i, a := range rest.Aliases {
		as[i] = docs.Alias{Old: a.Old, Current: a.Current}
	}
	return docs.New(ds, as)
}

// Handler is the main REST handler: every building block's paths, the IM's APIs, health, metrics and docs.
func (g *Gateway) Handler() http.Handler { return g.main }

// StandaloneHandler serves one building block's REST paths at the root, plus /healthz and /readyz.
func (g *Gateway) StandaloneHandler(bb string) (http.Handler, error) {
	h, ok := g.standalone[bb]
	if !ok {
		return nil, fmt.Errorf("gateway: no upstream for building block %q", bb)
	}
	return h, nil
}

func (g *Gateway) mainHandler(ups map[string]*grpc.ClientConn, bbs []string, m *rest.Metrics, d *docs.Docs) (http.Handler, error) {
	mux := rest.NewServeMux(g.log)
	var checks []health.Upstream
	for _, bb := range bbs {
		if err := g.register(mux, bb, ups[bb]); err != nil {
			return nil, err
		}
		checks = append(checks, health.Upstream{BB: bb, Client: healthpb.NewHealthClient(ups[bb])})
	}
	top := http.NewServeMux()
	handleGet(top, "/healthz", health.Live())
	handleGet(top, "/readyz", health.New(readyTimeout, checks...).With(g.im.readiness()...).Ready())
	handleGet(top, "/metrics", observability.MetricsHandler())
	handleGet(top, docs.IndexPath, d.Index())
	handleGet(top, docs.PagePath, d.Page())
	for _, bb := range d.BBs() {
		h, _ := d.Spec(bb)
		handleGet(top, docs.SpecPath(bb), h)
		h, _ = d.SpecV3(bb)
		handleGet(top, docs.SpecV3Path(bb), h)
	}
	g.handleJWKS(top)
	handleGet(top, imassert.KeysPath, g.im.assertionKeys())
	g.im.registerAPIs(top)
	restHandler := verifyUserTokens(g.tokens, g.log, rest.Handler(mux, g.limits()))
	top.Handle(mediate.RoutePattern, mediate.Router(g.im.registry, restHandler))
	// "/{$}" is the root alone; "/" below catches every other path for the REST mux.
	top.Handle("/{$}", rest.SetRoute("/", rest.GetOnly(http.RedirectHandler(docs.PagePath, http.StatusFound))))
	top.Handle("/", restHandler)
	return g.wrap(top, m, "gateway"), nil
}

func (g *Gateway) standaloneHandler(bb string, conn *grpc.ClientConn, m *rest.Metrics) (http.Handler, error) {
	mux := rest.NewServeMux(g.log)
	if err := g.register(mux, bb, conn); err != nil {
		return nil, err
	}
	top := http.NewServeMux()
	handleGet(top, "/healthz", health.Live())
	handleGet(top, "/readyz", health.New(readyTimeout, health.Upstream{BB: bb, Client: healthpb.NewHealthClient(conn)}).Ready())
	if bb == registrationBB {
		g.handleJWKS(top)
		handleGet(top, imassert.KeysPath, g.im.assertionKeys())
	}
	top.Handle("/", verifyUserTokens(g.tokens, g.log, rest.Handler(mux, g.limits())))
	return g.wrap(top, m, "gateway-"+bb), nil
}

// registrationBB issues user access tokens and publishes their keys.
const registrationBB = "registration"

// handleJWKS publishes the token signing keys at JWKSPath when Registration is behind this gateway.
func (g *Gateway) handleJWKS(mux *http.ServeMux) {
	if g.keys != nil {
		handleGet(mux, JWKSPath, jwksHandler(g.keys, g.cfg.RequestTimeout, g.log))
	}
}

func (g *Gateway) limits() rest.Limits {
	return rest.Limits{Body: g.cfg.MaxBodyBytes, Upload: g.cfg.MaxUploadBytes, Timeout: g.cfg.RequestTimeout,
		Bulk: g.cfg.MaxBulkBodyBytes, BulkRoutes: catalog.BulkRoutes()}
}

// wrap adds the layers every request passes, outermost first: tracing (so the span covers everything),
// request id, logging and metrics, the message log (outside everything that may refuse a request, so a
// refused attempt — a wrong API key, a 429, a hostile header — is on record too; authentication tells it
// the proven client), the check of forwarded headers, identity normalisation, authentication and the
// per-client rate limit.
func (g *Gateway) wrap(h http.Handler, m *rest.Metrics, operation string) http.Handler {
	h = g.im.limiter.Middleware(h)
	h = authn.Middleware(g.im.cache, g.im.auth, h)
	h = rest.NormaliseIdentity(h)
	h = rest.CheckHeaders(h)
	h = g.im.messageLog(h)
	return otelhttp.NewHandler(rest.Observe(g.log, m, h), operation)
}

func handleGet(mux *http.ServeMux, path string, h http.Handler) {
	mux.Handle(path, rest.SetRoute(path, rest.GetOnly(h)))
}

// register mounts bb's REST handlers on mux, calling the BB through a connection guarded by access rights.
func (g *Gateway) register(mux *runtime.ServeMux, bb string, conn *grpc.ClientConn) error {
	// The registration functions use the context only to tie a self-dialled connection's lifetime to it;
	// ours are dialled and closed by the caller.
	ctx := context.Background()
	guarded := mediate.Conn{Conn: conn, Guard: g.im.guard(bb)}
	for _, reg := range restServices(bb) {
		if err := reg(ctx, mux, guarded); err != nil {
			return fmt.Errorf("gateway: register %s REST handlers: %w", bb, err)
		}
	}
	return nil
}

// sortedBBs orders the BBs for registration on one mux. grpc-gateway matches the pattern registered LAST
// first, so the BBs with catch-all patterns go first: Registries' /data/{registry}/{version} must not shadow
// Registration's /data/statistics and /data/statistics/1.0.
func sortedBBs(ups map[string]*grpc.ClientConn) []string {
	bbs := make([]string, 0, len(ups))
	for bb := range ups {
		bbs = append(bbs, bb)
	}
	slices.SortFunc(bbs, func(a, b string) int {
		if (a == "registries") != (b == "registries") {
			if a == "registries" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return bbs
}
