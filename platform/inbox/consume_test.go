package inbox_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/internal/poll"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// publish sends a CloudEvent; msgID may differ from ceID to get past the stream's deduplication.
func publish(t *testing.T, js jetstream.JetStream, ceID, msgID string) {
	t.Helper()
	m := nats.NewMsg(eventType)
	m.Data = []byte(`{"name":"Ada"}`)
	if ceID != "" {
		m.Header.Set("ce-specversion", "1.0")
		m.Header.Set("ce-id", ceID)
		m.Header.Set("ce-type", eventType)
		m.Header.Set("ce-source", "govstack/test")
		m.Header.Set("ce-time", "2030-01-02T03:04:05.123456Z")
		m.Header.Set("traceparent", traceparent)
	}
	if msgID != "" {
		m.Header.Set(jetstream.MsgIDHeader, msgID)
	}
	if _, err := js.PublishMsg(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// calls counts handler invocations per event id and remembers the trace id each one ran under.
type calls struct {
	mu     sync.Mutex
	n      map[string]int
	traces map[string]trace.TraceID
}

func (c *calls) record(ctx context.Context, id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n, c.traces = map[string]int{}, map[string]trace.TraceID{}
	}
	c.n[id]++
	c.traces[id] = trace.SpanContextFromContext(ctx).TraceID()
	return c.n[id]
}

func (c *calls) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

// consume runs Consume in the background until the test ends.
func consume(t *testing.T, js jetstream.JetStream, pool *pgxpool.Pool, o inbox.ConsumerOptions, h inbox.Handler) {
	o.Logger = slog.New(slog.NewTextHandler(t.Output(), nil)) // shown with -v or on failure
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- inbox.Consume(ctx, js, pool, o, h) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

// settled reports whether the consumer has nothing left to deliver or to hear back about.
func settled(t *testing.T, js jetstream.JetStream, durable string) bool {
	info, err := js.Consumer(context.Background(), natsbus.StreamName(bb), durable)
	if err != nil {
		return false
	}
	ci, err := info.Info(context.Background())
	return err == nil && ci.NumPending == 0 && ci.NumAckPending == 0 && ci.NumRedelivered == 0
}

func TestConsumeEndToEnd(t *testing.T) {
	otel.SetTextMapPropagator(propagation.TraceContext{})
	ctx := context.Background()
	pool := setupDB(t)
	js := setupNATS(t)
	const durable = "projector"

	// An earlier run applied "already" but crashed before acking: its redelivery must change nothing.
	if _, err := inbox.Process(ctx, pool, durable, inbox.Delivery{ID: "already"}, applyEffect); err != nil {
		t.Fatal(err)
	}
	publish(t, js, "plain", "plain")
	publish(t, js, "twice", "twice-1") // the same event published twice, past deduplication
	publish(t, js, "twice", "twice-2")
	publish(t, js, "flaky", "flaky") // fails once: nak, redelivery, applied once
	publish(t, js, "already", "already")
	publish(t, js, "", "") // no id at all: terminated, never handled
	publish(t, js, "", "msgid-only")

	var c calls
	consume(t, js, pool, inbox.ConsumerOptions{
		Stream: natsbus.StreamName(bb), Durable: durable, FilterSubjects: []string{eventType},
		BackOff: []time.Duration{10 * time.Millisecond},
	}, func(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
		if c.record(ctx, d.ID) == 1 && d.ID == "flaky" {
			return errors.New("transient failure")
		}
		return applyEffect(ctx, tx, d)
	})

	poll.Eventually(t, 10*time.Second, "the consumer to settle", func() bool {
		return len(effects(t, pool)) == 5 && settled(t, js, durable)
	})
	got := effects(t, pool)
	for _, id := range []string{"plain", "twice", "flaky", "already", "msgid-only"} {
		if got[id] != 1 {
			t.Errorf("event %s applied %d times, want 1", id, got[id])
		}
	}
	if len(got) != 5 {
		t.Errorf("effects %v: want exactly the five identifiable events", got)
	}
	if n := c.count("flaky"); n != 2 {
		t.Errorf("flaky handled %d times, want 2 (fail, then succeed)", n)
	}
	if n := c.count("already"); n != 0 {
		t.Errorf("handler ran %d times for an event the inbox had recorded", n)
	}
	want, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	c.mu.Lock()
	if c.traces["plain"] != want {
		t.Errorf("handler ran under trace %s, want the producer's %s", c.traces["plain"], want)
	}
	c.mu.Unlock()
}

func TestConsumeGivesUpAfterMaxDeliver(t *testing.T) {
	pool := setupDB(t)
	js := setupNATS(t)
	publish(t, js, "doomed", "doomed")
	var c calls
	consume(t, js, pool, inbox.ConsumerOptions{
		Stream: natsbus.StreamName(bb), Durable: "doomed", MaxDeliver: 3, BackOff: []time.Duration{5 * time.Millisecond},
	}, func(ctx context.Context, _ pgx.Tx, d inbox.Delivery) error {
		c.record(ctx, d.ID)
		return errors.New("permanent failure")
	})
	poll.Eventually(t, 10*time.Second, "the consumer to settle", func() bool {
		return c.count("doomed") >= 3 && settled(t, js, "doomed")
	})
	if n := c.count("doomed"); n != 3 {
		t.Errorf("handled %d times, want MaxDeliver = 3", n)
	}
	if len(effects(t, pool)) != 0 {
		t.Error("a failed event left an effect")
	}
}
