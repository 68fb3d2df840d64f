package outbox_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/internal/poll"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// crashingJS really publishes every message, but from the (keep+1)th on reports failure once JetStream has
// stored it: to the relay this is exactly a crash between publishing and marking the rows sent.
type crashingJS struct {
	jetstream.JetStream
	keep int
	n    atomic.Int32
}

func (c *crashingJS) PublishMsgAsync(m *nats.Msg, opts ...jetstream.PublishOpt) (jetstream.PubAckFuture, error) {
	f, err := c.JetStream.PublishMsgAsync(m, opts...)
	if err != nil || int(c.n.Add(1)) <= c.keep {
		return f, err
	}
	select {
	case <-f.Ok():
	case err := <-f.Err():
		return nil, err
	case <-time.After(5 * time.Second):
		return nil, errors.New("no ack")
	}
	return lostAck{m}, nil
}

type lostAck struct{ m *nats.Msg }

func (l lostAck) Ok() <-chan *jetstream.PubAck { return nil }
func (l lostAck) Err() <-chan error {
	ch := make(chan error, 1)
	ch <- errors.New("relay crashed before marking")
	return ch
}
func (l lostAck) Msg() *nats.Msg { return l.m }

func TestRelayCrashBetweenPublishAndMark(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	const n = 50
	want := commit(ctx, t, e.pool, n)

	crashing := &crashingJS{JetStream: e.js, keep: 5}
	first := outbox.NewRelay(e.pool, crashing, outbox.RelayOptions{BatchSize: 20})
	marked, err := first.PublishPending(ctx)
	if err == nil || marked != 5 {
		t.Fatalf("crashing pass: marked %d, err %v; want 5 and an error", marked, err)
	}
	if p := countPending(t, e.pool); p != n-5 {
		t.Fatalf("%d rows pending after the crash, want %d", p, n-5)
	}
	if got := len(readStream(t, e.js)); got != 20 {
		t.Fatalf("stream holds %d messages after the crash, want 20 (published, not marked)", got)
	}

	// A fresh relay (the restarted process) publishes everything again that is not marked.
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{BatchSize: 20}).Run(runCtx) }()
	poll.Eventually(t, 10*time.Second, "all rows marked", func() bool { return countPending(t, e.pool) == 0 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	got := ceIDs(readStream(t, e.js))
	if len(got) != n {
		t.Errorf("stream has %d distinct events, want %d", len(got), n)
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("event %s arrived %d times, want exactly once", id, got[id])
		}
	}
}

func TestTwoRelaysPublishEachEventOnce(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	counting := &countingJS{JetStream: e.js}
	runCtx, stop := context.WithCancel(ctx)
	var relays sync.WaitGroup
	for range 2 {
		relays.Go(func() {
			r := outbox.NewRelay(e.pool, counting, outbox.RelayOptions{BatchSize: 25, PollInterval: 50 * time.Millisecond})
			if err := r.Run(runCtx); err != nil {
				t.Error(err)
			}
		})
	}

	// Commit while the relays run: 8 writers × 25 transactions × 2 events.
	var writers sync.WaitGroup
	var mu sync.Mutex
	var want []string
	for range 8 {
		writers.Go(func() {
			for range 25 {
				ids := commit(ctx, t, e.pool, 2)
				mu.Lock()
				want = append(want, ids...)
				mu.Unlock()
			}
		})
	}
	writers.Wait()
	const n = 8 * 25 * 2
	poll.Eventually(t, 20*time.Second, "all rows published", func() bool { return countPending(t, e.pool) == 0 })
	stop()
	relays.Wait()

	msgs := readStream(t, e.js)
	if len(msgs) != n {
		t.Errorf("stream holds %d messages, want %d", len(msgs), n)
	}
	got := ceIDs(msgs)
	if len(got) != n || len(want) != n {
		t.Errorf("%d distinct ids in the stream, %d committed, want %d", len(got), len(want), n)
	}
	counting.mu.Lock()
	defer counting.mu.Unlock()
	for _, id := range want {
		if got[id] != 1 || counting.count[id] != 1 {
			t.Errorf("event %s: %d times in the stream, published %d times; want 1 and 1", id, got[id], counting.count[id])
		}
	}
	var unmarked int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE published_at IS NULL`).Scan(&unmarked); err != nil || unmarked != 0 {
		t.Errorf("%d rows without published_at (err %v)", unmarked, err)
	}
}

// TestRelayWakesOnNotify uses a poll interval far beyond the deadline: only LISTEN/NOTIFY can wake the relay.
func TestRelayWakesOnNotify(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	r := outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{PollInterval: time.Hour})
	go func() { done <- r.Run(runCtx) }()
	defer func() { stop(); <-done }()

	for round := range 3 {
		commit(ctx, t, e.pool, 1)
		poll.Eventually(t, 5*time.Second, "the notified relay to publish", func() bool { return countPending(t, e.pool) == 0 })
		if got := len(readStream(t, e.js)); got != round+1 {
			t.Fatalf("stream holds %d messages, want %d", got, round+1)
		}
	}
}

func TestRelayLeavesRowsPendingWhenStreamIsMissing(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	commit(ctx, t, e.pool, 3)
	if err := e.js.DeleteStream(ctx, "GOVSTACK_TEST"); err != nil {
		t.Fatal(err)
	}
	r := outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{PublishTimeout: 2 * time.Second})
	n, err := r.PublishPending(ctx)
	if err == nil || n != 0 {
		t.Fatalf("PublishPending = %d, %v; want 0 and an error", n, err)
	}
	if p := countPending(t, e.pool); p != 3 {
		t.Errorf("%d rows pending, want 3", p)
	}
}
