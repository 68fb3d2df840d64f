package observability

import (
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

var meterOnce sync.Once

// MetricsHandler serves the default Prometheus registry in the text format, for /metrics.
//
// The first call also makes OpenTelemetry metrics (e.g. otelgrpc's rpc.server.* instruments) land in that
// registry by installing a Prometheus-backed global MeterProvider. It is guarded by a sync.Once because the
// exporter registers a collector with the default registry, which may happen only once per process.
func MetricsHandler() http.Handler {
	meterOnce.Do(func() {
		exp, err := otelprom.New()
		if err != nil {
			// Go and process metrics still work; report through OTel's error handler rather than fail /metrics.
			otel.Handle(err)
			return
		}
		otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp)))
	})
	return promhttp.Handler()
}
