package inbox_test

import (
	"context"
	"embed"
	"testing"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
)

//go:embed testdata/*.sql
var effectsMigrations embed.FS

// effects is a consumer's own table: effects.n counts how often an event's effect was applied.
var effectsSet = pgstore.MigrationSet{Name: "inbox_test", FS: effectsMigrations, Dir: "testdata"}

const bb = "test"

var eventType = natsbus.Subject(bb, "thing", "created")

func setupDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.NewPool(t, effectsSet, inbox.Migrations)
}

func setupNATS(t *testing.T) jetstream.JetStream {
	t.Helper()
	_, js := natstest.Start(t)
	if _, err := natsbus.EnsureStream(context.Background(), js, bb); err != nil {
		t.Fatal(err)
	}
	return js
}

// applyEffect is the handler under test: it bumps the event's counter in the handler's transaction.
func applyEffect(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	_, err := tx.Exec(ctx, `INSERT INTO effects (event_id, n) VALUES ($1, 1)
		ON CONFLICT (event_id) DO UPDATE SET n = effects.n + 1`, d.ID)
	return err
}

// effects returns how often each event's effect was applied.
func effects(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT event_id, n FROM effects`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var id string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error { got[id] = n; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return got
}
