package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/internal/poll"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// TestOutboxToInbox runs the whole path of ARCHITECTURE.md §6 in one database holding a BB's own tables,
// the outbox and the inbox: commit → relay → JetStream → consumer, with the trace carried across.
func TestOutboxToInbox(t *testing.T) {
	otel.SetTextMapPropagator(propagation.TraceContext{})
	ctx := context.Background()
	pool := setupDB(t)
	if err := pgstore.Migrate(ctx, pool, effectsSet, outbox.Migrations, inbox.Migrations); err != nil {
		t.Fatal(err)
	}
	js := setupNATS(t)

	runCtx, stop := context.WithCancel(ctx)
	relayDone := make(chan error, 1)
	go func() { relayDone <- outbox.NewRelay(pool, js, outbox.RelayOptions{}).Run(runCtx) }()
	defer func() { stop(); <-relayDone }()

	var c calls
	var data []byte
	consume(t, js, pool, inbox.ConsumerOptions{Stream: natsbus.StreamName(bb), Durable: "e2e"},
		func(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
			c.record(ctx, d.ID)
			c.mu.Lock()
			data = d.Data
			c.mu.Unlock()
			return applyEffect(ctx, tx, d)
		})

	traceID, _ := trace.TraceIDFromHex("11112222333344445555666677778888")
	spanID, _ := trace.SpanIDFromHex("1111222233334444")
	reqCtx := trace.ContextWithSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled,
	}))
	payload, _ := structpb.NewStruct(map[string]any{"name": "Ada"})
	const id = "018f2b9e-8f5a-7cc0-9a3e-2b1c0d4e5f61"
	err := pgstore.InTx(reqCtx, pool, func(tx pgx.Tx) error {
		return outbox.Add(reqCtx, tx, outbox.Event{ID: id, Type: eventType, Source: "govstack/test", Payload: payload})
	})
	if err != nil {
		t.Fatal(err)
	}

	poll.Eventually(t, 10*time.Second, "the event's effect", func() bool { return effects(t, pool)[id] == 1 })
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.traces[id] != traceID {
		t.Errorf("consumer ran under trace %s, want the request's %s", c.traces[id], traceID)
	}
	var got structpb.Struct
	if err := protojson.Unmarshal(data, &got); err != nil || got.Fields["name"].GetStringValue() != "Ada" {
		t.Errorf("data %s is not the payload (%v)", data, err)
	}
}
