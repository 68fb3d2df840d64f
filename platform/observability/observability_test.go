package observability

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("log line %q is not JSON: %v", b, err)
	}
	return m
}

func TestNewLoggerAddsTraceIDs(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, "info")
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{1, 2, 3},
		SpanID:     trace.SpanID{4, 5, 6},
		TraceFlags: trace.FlagsSampled,
	})
	ctx := trace.ContextWithSpanContext(context.Background(), sc)

	log.With("bb", "registries").InfoContext(ctx, "hello", "n", 1)
	m := decode(t, buf.Bytes())
	if m["msg"] != "hello" || m["bb"] != "registries" || m["n"] != 1.0 {
		t.Errorf("fields lost: %v", m)
	}
	if m["trace_id"] != sc.TraceID().String() || m["span_id"] != sc.SpanID().String() {
		t.Errorf("trace ids = %v/%v, want %s/%s", m["trace_id"], m["span_id"], sc.TraceID(), sc.SpanID())
	}

	buf.Reset()
	log.InfoContext(context.Background(), "no span")
	if m := decode(t, buf.Bytes()); m["trace_id"] != nil || m["span_id"] != nil {
		t.Errorf("ids without a span: %v", m)
	}

	buf.Reset()
	log.InfoContext(ctx, "own id", "trace_id", "set-by-caller")
	if n := strings.Count(buf.String(), `"trace_id"`); n != 1 {
		t.Errorf("trace_id appears %d times in %s", n, buf.String())
	}
}

func TestNewLoggerLevel(t *testing.T) {
	tests := []struct {
		level       string
		debug, info bool
	}{
		{"debug", true, true},
		{"info", false, true},
		{"warn", false, false},
		{"error", false, false},
		{"nonsense", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			log := NewLogger(io.Discard, tt.level)
			ctx := context.Background()
			if got := log.Handler().Enabled(ctx, -4); got != tt.debug {
				t.Errorf("debug enabled = %v, want %v", got, tt.debug)
			}
			if got := log.Handler().Enabled(ctx, 0); got != tt.info {
				t.Errorf("info enabled = %v, want %v", got, tt.info)
			}
		})
	}
}

func TestSetupTracingWithoutExporter(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	ctx := context.Background()
	shutdown, err := SetupTracing(ctx, "test")
	if err != nil {
		t.Fatalf("SetupTracing: %v", err)
	}
	defer func() {
		if err := shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()

	ctx, span := otel.Tracer("test").Start(ctx, "op")
	defer span.End()
	if !span.SpanContext().IsValid() {
		t.Fatal("span has no ids without an exporter")
	}

	member, _ := baggage.NewMember("client", "EE/GOV/1/sub")
	bag, _ := baggage.New(member)
	ctx = baggage.ContextWithBaggage(ctx, bag)
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	if !strings.Contains(carrier["traceparent"], span.SpanContext().TraceID().String()) {
		t.Errorf("traceparent = %q, want trace %s", carrier["traceparent"], span.SpanContext().TraceID())
	}
	if carrier["baggage"] == "" {
		t.Error("baggage not propagated")
	}
}

func TestSetupTracingWithExporter(t *testing.T) {
	// Nothing listens there: the exporter connects lazily, so setup must still succeed.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	ctx := context.Background()
	shutdown, err := SetupTracing(ctx, "test")
	if err != nil {
		t.Fatalf("SetupTracing: %v", err)
	}
	_, span := otel.Tracer("test").Start(ctx, "op")
	span.End()
	ctx, cancel := context.WithCancel(ctx)
	cancel() // do not wait for an export that cannot succeed
	_ = shutdown(ctx)
}

func TestMetricsHandler(t *testing.T) {
	h := MetricsHandler()
	counter, err := otel.Meter("test").Int64Counter("govstack_test_things")
	if err != nil {
		t.Fatal(err)
	}
	counter.Add(context.Background(), 3)
	_ = MetricsHandler() // a second call must not register the exporter twice

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{"go_goroutines", "govstack_test_things_total"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
