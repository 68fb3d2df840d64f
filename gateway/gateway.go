// Package gateway is the seed of the GovStack Information Mediator (ARCHITECTURE.md §5): the REST front
// door that turns GovStack REST calls into gRPC calls on the building blocks, with one JSON error format,
// the older path spellings the GovStack test suites use, identity header normalisation, limits, health,
// metrics and the OpenAPI documents. The IM proper (service registry, access rights, message log,
// pub/sub, /r1 routing) is not here yet; it will wrap the same handlers.
//
// Decisions worth knowing:
//   - Error codes are gRPC code names in UPPER_SNAKE; statuses the gateway decides itself keep the closest
//     code: 405 is UNIMPLEMENTED (grpc-gateway's own choice), 413 is INVALID_ARGUMENT.
//   - A BB may set response header metadata x-http-code to a 2xx status (e.g. 204); other values are ignored.
//   - Only the identity and x-request-id headers reach a BB; Grpc-Metadata-* headers are not forwarded.
package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/docs"
	"github.com/govstackbb/marketplace/gateway/internal/health"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/gateway/openapi"
	"github.com/govstackbb/marketplace/platform/observability"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// readyTimeout bounds each upstream's health check in /readyz.
const readyTimeout = time.Second

type registerFunc func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error

// restServices lists, per building block, the generated grpc-gateway registrations of its services. A BB
// joins the gateway by adding a line here.
var restServices = map[string][]registerFunc{
	"registries": {registriesv1.RegisterRegistriesServiceHandler, registriesv1.RegisterDatabasesServiceHandler},
}

// BBs lists the building blocks the gateway can serve, sorted.
func BBs() []string {
	bbs := make([]string, 0, len(restServices))
	for bb := range restServices {
		bbs = append(bbs, bb)
	}
	slices.Sort(bbs)
	return bbs
}

// Upstream is the gRPC connection to one building block.
type Upstream struct {
	BB   string // e.g. "registries"
	Conn *grpc.ClientConn
}

// Gateway serves the building blocks' REST APIs. Build it with New.
type Gateway struct {
	cfg        Config
	log        *slog.Logger
	listeners  []listener
	main       http.Handler
	standalone map[string]http.Handler
}

// New builds the gateway's handlers for the given upstreams; it does not listen (see Run). The caller owns
// the connections and closes them after Run returns.
func New(cfg Config, log *slog.Logger, upstreams ...Upstream) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	listeners, _ := cfg.standalone() // validated above
	ups := map[string]*grpc.ClientConn{}
	for _, u := range upstreams {
		switch {
		case restServices[u.BB] == nil:
			return nil, fmt.Errorf("gateway: unknown building block %q", u.BB)
		case u.Conn == nil:
			return nil, fmt.Errorf("gateway: upstream %s has no connection", u.BB)
		case ups[u.BB] != nil:
			return nil, fmt.Errorf("gateway: upstream %s given twice", u.BB)
		}
		ups[u.BB] = u.Conn
	}
	for _, l := range listeners {
		if ups[l.BB] == nil {
			return nil, fmt.Errorf("GOVSTACK_GATEWAY_STANDALONE: %s has no upstream connection", l.BB)
		}
	}
	metrics, err := rest.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return nil, fmt.Errorf("gateway: metrics: %w", err)
	}
	d, err := newDocs()
	if err != nil {
		return nil, err
	}
	g := &Gateway{cfg: cfg, log: log, listeners: listeners, standalone: map[string]http.Handler{}}
	bbs := sortedBBs(ups)
	if g.main, err = g.mainHandler(ups, bbs, metrics, d); err != nil {
		return nil, err
	}
	for _, bb := range bbs {
		if g.standalone[bb], err = g.standaloneHandler(bb, ups[bb], metrics); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func newDocs() (*docs.Docs, error) {
	specs, err := openapi.Specs()
	if err != nil {
		return nil, err
	}
	ds := make([]docs.Spec, len(specs))
	for i, s := range specs {
		ds[i] = docs.Spec{BB: s.BB, JSON: s.JSON}
	}
	as := make([]docs.Alias, len(rest.Aliases))
	for i, a := range rest.Aliases {
		as[i] = docs.Alias{Old: a.Old, Current: a.Current}
	}
	return docs.New(ds, as)
}

// Handler is the main REST handler: every building block's paths, health, metrics and docs.
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
		if err := register(mux, bb, ups[bb]); err != nil {
			return nil, err
		}
		checks = append(checks, health.Upstream{BB: bb, Client: healthpb.NewHealthClient(ups[bb])})
	}
	top := http.NewServeMux()
	handleGet(top, "/healthz", health.Live())
	handleGet(top, "/readyz", health.New(readyTimeout, checks...).Ready())
	handleGet(top, "/metrics", observability.MetricsHandler())
	handleGet(top, docs.IndexPath, d.Index())
	handleGet(top, docs.PagePath, d.Page())
	for _, bb := range d.BBs() {
		h, _ := d.Spec(bb)
		handleGet(top, docs.SpecPath(bb), h)
	}
	// "/{$}" is the root alone; "/" below catches every other path for the REST mux.
	top.Handle("/{$}", rest.SetRoute("/", rest.GetOnly(http.RedirectHandler(docs.PagePath, http.StatusFound))))
	top.Handle("/", rest.Handler(mux, g.cfg.MaxBodyBytes, g.cfg.RequestTimeout))
	return g.wrap(top, m, "gateway"), nil
}

func (g *Gateway) standaloneHandler(bb string, conn *grpc.ClientConn, m *rest.Metrics) (http.Handler, error) {
	mux := rest.NewServeMux(g.log)
	if err := register(mux, bb, conn); err != nil {
		return nil, err
	}
	top := http.NewServeMux()
	handleGet(top, "/healthz", health.Live())
	handleGet(top, "/readyz", health.New(readyTimeout, health.Upstream{BB: bb, Client: healthpb.NewHealthClient(conn)}).Ready())
	top.Handle("/", rest.Handler(mux, g.cfg.MaxBodyBytes, g.cfg.RequestTimeout))
	return g.wrap(top, m, "gateway-"+bb), nil
}

// wrap adds the layers every request passes: tracing outermost, so the span covers everything, then
// request id, logging and metrics.
func (g *Gateway) wrap(h http.Handler, m *rest.Metrics, operation string) http.Handler {
	return otelhttp.NewHandler(rest.Observe(g.log, m, h), operation)
}

func handleGet(mux *http.ServeMux, path string, h http.Handler) {
	mux.Handle(path, rest.SetRoute(path, rest.GetOnly(h)))
}

func register(mux *runtime.ServeMux, bb string, conn *grpc.ClientConn) error {
	// The registration functions use the context only to tie a self-dialled connection's lifetime to it;
	// ours are dialled and closed by the caller.
	ctx := context.Background()
	for _, reg := range restServices[bb] {
		if err := reg(ctx, mux, conn); err != nil {
			return fmt.Errorf("gateway: register %s REST handlers: %w", bb, err)
		}
	}
	return nil
}

func sortedBBs(ups map[string]*grpc.ClientConn) []string {
	bbs := make([]string, 0, len(ups))
	for bb := range ups {
		bbs = append(bbs, bb)
	}
	slices.Sort(bbs)
	return bbs
}
