package rest

import (
	"errors"
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
	return &Metrics{requests: requests, duration: duration}, nil
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
		)
	})
}
