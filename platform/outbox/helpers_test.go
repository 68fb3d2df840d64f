package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/types/known/structpb"
)

const bb = "test"

var eventType = natsbus.Subject(bb, "thing", "created")

// env is a migrated database and a JetStream with the test BB's stream.
type env struct {
	pool *pgxpool.Pool
	js   jetstream.JetStream
}

func setup(t testing.TB) env {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t, outbox.Migrations)
	_, js := natstest.Start(t)
	if _, err := natsbus.EnsureStream(ctx, js, bb); err != nil {
		t.Fatal(err)
	}
	return env{pool: pool, js: js}
}

// commit adds n events in one transaction and returns their ids.
func commit(ctx context.Context, t testing.TB, pool *pgxpool.Pool, n int) []string {
	t.Helper()
	events := make([]outbox.Event, n)
	for i := range events {
		payload, _ := structpb.NewStruct(map[string]any{"n": i})
		events[i] = outbox.Event{Type: eventType, Source: "govstack/test", Subject: fmt.Sprint("thing-", i), Payload: payload}
	}
	var ids []string
	err := pgstore.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := outbox.Add(ctx, tx, events...); err != nil {
			return err
		}
		// Read the generated ids back from the table, within the same transaction.
		rows, err := tx.Query(ctx, `SELECT id::text FROM outbox ORDER BY created_at DESC, id DESC LIMIT $1`, n)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func countPending(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE published_at IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// readStream reads every message of the test stream with an ordered consumer.
func readStream(t testing.TB, js jetstream.JetStream) []jetstream.Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, natsbus.StreamName(bb))
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []jetstream.Msg
	for uint64(len(msgs)) < info.State.Msgs {
		batch, err := c.Fetch(int(info.State.Msgs)-len(msgs), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if batch.Error() != nil {
			t.Fatal(batch.Error())
		}
	}
	return msgs
}

// ceIDs counts stream messages by ce-id.
func ceIDs(msgs []jetstream.Msg) map[string]int {
	ids := make(map[string]int, len(msgs))
	for _, m := range msgs {
		ids[m.Headers().Get("ce-id")]++
	}
	return ids
}

// countingJS records every publish attempt by message id, to catch double publishing that the stream's
// deduplication would otherwise hide.
type countingJS struct {
	jetstream.JetStream
	mu    sync.Mutex
	count map[string]int
}

func (c *countingJS) PublishMsgAsync(m *nats.Msg, opts ...jetstream.PublishOpt) (jetstream.PubAckFuture, error) {
	c.mu.Lock()
	if c.count == nil {
		c.count = map[string]int{}
	}
	c.count[m.Header.Get(jetstream.MsgIDHeader)]++
	c.mu.Unlock()
	return c.JetStream.PublishMsgAsync(m, opts...)
}
