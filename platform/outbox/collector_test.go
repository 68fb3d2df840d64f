package outbox_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
)

// thingHappened is a BB's domain event, as its domain declares one.
type thingHappened struct{ name string }

func encodeThing(e thingHappened) (outbox.Event, error) {
	if e.name == "" {
		return outbox.Event{}, errors.New("a thing without a name")
	}
	payload, _ := structpb.NewStruct(map[string]any{"name": e.name})
	return outbox.Event{Type: eventType, Source: "govstack/test", Subject: e.name, Payload: payload}, nil
}

// What a unit of work published reaches the outbox in order when it is added; an event the encoder refuses
// fails the whole transaction.
func TestCollectorAddsPublishedEventsInOrder(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	var c outbox.Collector[thingHappened]
	c.Publish(thingHappened{"first"})
	c.Publish(thingHappened{"second"}, thingHappened{"third"})
	if err := pgstore.InTx(ctx, e.pool, func(tx pgx.Tx) error { return c.AddTo(ctx, tx, encodeThing) }); err != nil {
		t.Fatal(err)
	}
	rows, err := e.pool.Query(ctx, `SELECT subject FROM outbox ORDER BY created_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	subjects, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || !slices.Equal(subjects, []string{"first", "second", "third"}) {
		t.Errorf("outbox subjects %v, %v", subjects, err)
	}
	err = pgstore.InTx(ctx, e.pool, func(tx pgx.Tx) error {
		return outbox.AddEncoded(ctx, tx, encodeThing, thingHappened{"fourth"}, thingHappened{})
	})
	if err == nil || countPending(t, e.pool) != 3 {
		t.Errorf("an unencodable event: err %v, %d pending (want the transaction refused, 3)", err, countPending(t, e.pool))
	}
}
