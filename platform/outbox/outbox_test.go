package outbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestCloudEventHeadersAndTraceContext(t *testing.T) {
	// observability.SetupTracing installs this propagator in a service.
	otel.SetTextMapPropagator(propagation.TraceContext{})
	ctx := context.Background()
	e := setup(t)

	traceID, _ := trace.TraceIDFromHex("0af7651916cd43dd8448eb211c80319c")
	spanID, _ := trace.SpanIDFromHex("b7ad6b7169203331")
	spanCtx := trace.ContextWithSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled,
	}))
	payload, _ := structpb.NewStruct(map[string]any{"name": "Ada"})
	ev := outbox.Event{
		ID: "018f2b9e-8f5a-7cc0-9a3e-2b1c0d4e5f60", Type: eventType, Source: "govstack/test",
		Subject: "thing-1", Payload: payload,
	}
	if err := pgstore.InTx(spanCtx, e.pool, func(tx pgx.Tx) error { return outbox.Add(spanCtx, tx, ev) }); err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	if n, err := outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{}).PublishPending(ctx); err != nil || n != 1 {
		t.Fatalf("PublishPending = %d, %v", n, err)
	}

	msgs := readStream(t, e.js)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	h := m.Headers()
	for k, want := range map[string]string{
		jetstream.MsgIDHeader: ev.ID,
		"ce-specversion":      "1.0",
		"ce-id":               ev.ID,
		"ce-type":             eventType,
		"ce-source":           "govstack/test",
		"ce-subject":          "thing-1",
		"content-type":        "application/json",
		"traceparent":         "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if m.Subject() != eventType {
		t.Errorf("NATS subject %q, want the event type", m.Subject())
	}
	ceTime, err := time.Parse(time.RFC3339Nano, h.Get("ce-time"))
	if err != nil || ceTime.After(before) || before.Sub(ceTime) > time.Minute {
		t.Errorf("ce-time %q (%v): want the commit time, RFC 3339", h.Get("ce-time"), err)
	}
	var got structpb.Struct
	if err := protojson.Unmarshal(m.Data(), &got); err != nil || got.Fields["name"].GetStringValue() != "Ada" {
		t.Errorf("body %s does not decode to the payload (%v)", m.Data(), err)
	}
}

func TestEventWithoutSpanHasNoTraceparent(t *testing.T) {
	otel.SetTextMapPropagator(propagation.TraceContext{})
	ctx := context.Background()
	e := setup(t)
	commit(ctx, t, e.pool, 1)
	if _, err := outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{}).PublishPending(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := readStream(t, e.js)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	if tp := msgs[0].Headers().Get("traceparent"); tp != "" {
		t.Errorf("traceparent %q without a span in ctx", tp)
	}
}

func TestAddIsTransactional(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	payload, _ := structpb.NewStruct(nil)
	err := pgstore.InTx(ctx, e.pool, func(tx pgx.Tx) error {
		if err := outbox.Add(ctx, tx, outbox.Event{Type: eventType, Source: "s", Payload: payload}); err != nil {
			return err
		}
		return context.Canceled // the use case fails after adding its event
	})
	if err != context.Canceled {
		t.Fatal(err)
	}
	if p := countPending(t, e.pool); p != 0 {
		t.Errorf("rolled-back event left %d rows", p)
	}
}

func TestAddRejectsIncompleteEvents(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	payload, _ := structpb.NewStruct(nil)
	for name, ev := range map[string]outbox.Event{
		"no type":    {Source: "s", Payload: payload},
		"no source":  {Type: eventType, Payload: payload},
		"no payload": {Type: eventType, Source: "s"},
		"bad id":     {ID: "not-a-uuid", Type: eventType, Source: "s", Payload: payload},
	} {
		err := pgstore.InTx(ctx, e.pool, func(tx pgx.Tx) error { return outbox.Add(ctx, tx, ev) })
		if err == nil || !strings.HasPrefix(err.Error(), "outbox:") {
			t.Errorf("%s: Add = %v, want an outbox error", name, err)
		}
	}
}
