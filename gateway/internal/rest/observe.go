package rest

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// unmatchedRoute labels requests no route took, so a scan of random paths cannot blow up metric cardinality.
const unmatchedRoute = "unmatched"

// quietRoutes are polled by orchestrators and scrapers every few seconds; logging them at info would drown
// the requests that matter.
var quietRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// Metrics are the gateway's Prometheus instruments, labelled by route pattern (never the raw path).
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	im       imMetrics
}

// imMetrics are the Information Mediator's operational monitoring: per client, service and status. The
// labels are registered identities (or "anonymous"/"none"), so their number follows the service registry.
type imMetrics struct {
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	requestBytes  *prometheus.HistogramVec
	responseBytes *prometheus.HistogramVec
}

var sizeBuckets = prometheus.ExponentialBuckets(128, 4, 8) // 128 B … 2 MiB

func newIMMetrics(reg prometheus.Registerer) (imMetrics, error) {
	labels := []string{"client", "service", "status"}
	m := imMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govstack_im_requests_total",
			Help: "Calls through the Information Mediator, by client, service and HTTP status.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "govstack_im_request_duration_seconds", Buckets: prometheus.DefBuckets,
			Help: "Latency of calls through the Information Mediator, by client, service and HTTP status.",
		}, labels),
		requestBytes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "govstack_im_request_bytes", Buckets: sizeBuckets,
			Help: "Request body sizes through the Information Mediator, by client, service and HTTP status.",
		}, labels),
		responseBytes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "govstack_im_response_bytes", Buckets: sizeBuckets,
			Help: "Response body sizes through the Information Mediator, by client, service and HTTP status.",
		}, labels),
	}
	var err error
	for _, v := range []**prometheus.HistogramVec{&m.duration, &m.requestBytes, &m.responseBytes} {
		if *v, err = register(reg, *v); err != nil {
			return m, err
		}
	}
	m.requests, err = register(reg, m.requests)
	return m, err
}

func (m imMetrics) observe(info *Info, status string, elapsed time.Duration, in, out int64) {
	client, service := info.Client, info.Service
	if client == "" {
		client = "anonymous"
	}
	if service == "" {
		return // not a call to a service (health, docs, metrics, IM APIs): the route metrics cover it
	}
	m.requests.WithLabelValues(client, service, status).Inc()
	m.duration.WithLabelValues(client, service, status).Observe(elapsed.Seconds())
	m.requestBytes.WithLabelValues(client, service, status).Observe(float64(in))
	m.responseBytes.WithLabelValues(client, service, status).Observe(float64(out))
}

// NewMetrics registers the instruments with reg. Registering twice (several gateways in one process, as in
// tests or govstack dev) reuses the instruments already registered instead of failing.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "govstack_gateway_http_requests_total",
		Help: "HTTP requests served by the gateway, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "govstack_gateway_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route pattern, method and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method", "status"})
	var err error
	if requests, err = register(reg, requests); err != nil {
		return nil, err
	}
	if duration, err = register(reg, duration); err != nil {
		return nil, err
	}
	im, err := newIMMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Metrics{requests: requests, duration: duration, im: im}, nil
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

// knownMethods bounds the method label; anything else is counted as OTHER.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// Observe is the outermost gateway layer: it assigns the request id (echoed in X-Request-Id on every
// response, errors included), then logs and counts the request once it is done. The log line carries the
// route pattern, not the path or query, because both may carry personal data.
func Observe(log *slog.Logger, m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &Info{ID: requestID(r)}
		// Inner layers and the upstream see the same id the caller gets back.
		r.Header.Set(RequestIDHeader, info.ID)
		w.Header().Set(RequestIDHeader, info.ID)
		rec := &recorder{ResponseWriter: w}
		body := &countingBody{ReadCloser: r.Body}
		if r.Body != nil {
			r.Body = body
		}
		next.ServeHTTP(rec, r.WithContext(withInfo(r.Context(), info)))

		route := info.Route
		if route == "" {
			route = unmatchedRoute
		}
		method := r.Method
		if !knownMethods[method] {
			method = "OTHER"
		}
		status := rec.statusOrOK()
		elapsed := time.Since(start)
		code := strconv.Itoa(status)
		m.requests.WithLabelValues(route, method, code).Inc()
		m.duration.WithLabelValues(route, method, code).Observe(elapsed.Seconds())
		m.im.observe(info, code, elapsed, body.n, rec.bytes)

		// otelhttp names the span before routing; the route pattern is what makes traces searchable.
		span := trace.SpanFromContext(r.Context())
		span.SetName(method + " " + route)
		span.SetAttributes(attribute.String("http.route", route))

		level := slog.LevelInfo
		switch {
		case quietRoutes[route]:
			level = slog.LevelDebug // even a 503 from /readyz: the probe's caller acts on it, the log need not
		case status >= 500:
			level = slog.LevelWarn
		}
		log.LogAttrs(r.Context(), level, "http request",
			slog.String("method", method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.Int64("response_bytes", rec.bytes),
			slog.String("request_id", info.ID),
			slog.String("client", info.Client),
			slog.String("service", info.Service),
		)
	})
}

// countingBody counts the request body bytes the handlers read.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}
