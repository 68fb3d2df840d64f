package observability

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
)

// SetupTracing installs the global W3C tracecontext+baggage propagator and an SDK TracerProvider for service.
//
// When OTEL_EXPORTER_OTLP_ENDPOINT is set, spans are exported over OTLP/gRPC (the exporter reads the other
// standard OTEL_EXPORTER_OTLP_* variables itself). Otherwise the provider has no exporter: spans still get
// real ids, so logs carry trace_id and trace context still travels to other services and over NATS.
//
// shutdown flushes pending spans; call it with a bounded context when the process stops.
func SetupTracing(ctx context.Context, service string) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))

	// Later detectors win, so OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES can override the name an operator
	// sees. A partial resource (err != nil, res != nil) is still usable; only a missing one is fatal.
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(semconv.ServiceName(service)),
		resource.WithFromEnv(),
	)
	if res == nil {
		return nil, fmt.Errorf("observability: tracing resource: %w", err)
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" {
		// The gRPC client connects lazily, so an unreachable collector does not stop the service from starting.
		exp, err := otlptracegrpc.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("observability: OTLP trace exporter (OTEL_EXPORTER_OTLP_ENDPOINT=%s): %w",
				os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"), err)
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}
