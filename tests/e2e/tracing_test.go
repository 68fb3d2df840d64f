package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// TestTraceCrossesEveryHop sends a REST request carrying a W3C traceparent and follows the trace: the
// gateway's HTTP span, its gRPC client span, the registries BB's gRPC server span, and finally the
// record.created event on NATS, whose traceparent header carries the same trace id.
func TestTraceCrossesEveryHop(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	prevTP, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { otel.SetTracerProvider(prevTP); otel.SetTextMapPropagator(prevProp) })

	s := startStack(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	js, err := jetstream.New(s.nats)
	if err != nil {
		t.Fatal(err)
	}
	// The BB creates its stream in the background at start-up; wait for it (the outbox holds events meanwhile).
	for _, err := js.Stream(ctx, "GOVSTACK_REGISTRIES"); err != nil; _, err = js.Stream(ctx, "GOVSTACK_REGISTRIES") {
		if ctx.Err() != nil {
			t.Fatalf("stream GOVSTACK_REGISTRIES never appeared: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval
	}
	// DeliverAll, not DeliverNew: an ordered consumer is created on the server at its first Next, which may be
	// after the relay has already published the event.
	cons, err := js.OrderedConsumer(ctx, "GOVSTACK_REGISTRIES", jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"govstack.registries.v1.record.created"}, DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		t.Fatal(err)
	}

	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	r := s.do(t, "POST", "/data/cities/1.0/create", `{"write":{"content":{"id":"tartu","name":"Tartu","country":"EE"}}}`,
		map[string]string{"traceparent": "00-" + traceID + "-00f067aa0ba902b7-01"})
	expect(t, r, 200, `"Tartu"`)

	// The first record.created with our trace id (earlier creations, if any, carry other traces).
	for {
		msg, err := cons.Next(jetstream.FetchMaxWait(15 * time.Second))
		if err != nil {
			t.Fatalf("no record.created event with trace id %s: %v", traceID, err)
		}
		if got := msg.Headers().Get("traceparent"); len(got) >= 35 && got[3:35] == traceID {
			break
		}
	}
	kinds := map[string]bool{}
	for _, sp := range spans.GetSpans() {
		if sp.SpanContext.TraceID().String() == traceID {
			kinds[sp.SpanKind.String()] = true
		}
	}
	for _, want := range []string{"server", "client"} {
		if !kinds[want] {
			t.Errorf("no %s span in trace %s (spans of the trace by kind: %v)", want, traceID, kinds)
		}
	}
}
