package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
)

// Purge removes published rows past the retention and leaves recent and pending ones alone.
func TestPurgeKeepsPendingAndRecentRows(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	old := commit(ctx, t, e.pool, 3)
	relay := outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{Retention: 24 * time.Hour})
	if n, err := relay.PublishPending(ctx); err != nil || n != 3 {
		t.Fatalf("PublishPending = %d, %v", n, err)
	}
	// Age the published rows past the retention, then add recent published and pending rows.
	if _, err := e.pool.Exec(ctx, `UPDATE outbox SET published_at = now() - interval '2 days' WHERE id = ANY($1::uuid[])`, old); err != nil {
		t.Fatal(err)
	}
	commit(ctx, t, e.pool, 2)
	if _, err := relay.PublishPending(ctx); err != nil {
		t.Fatal(err)
	}
	commit(ctx, t, e.pool, 4) // pending: must survive any retention

	if _, err := e.pool.Exec(ctx, `UPDATE outbox SET created_at = now() - interval '30 days' WHERE published_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	n, err := relay.Purge(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Purge = %d, %v; want the 3 old published rows", n, err)
	}
	var published, pending int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE published_at IS NOT NULL), count(*) FILTER (WHERE published_at IS NULL) FROM outbox`).Scan(&published, &pending); err != nil {
		t.Fatal(err)
	}
	if published != 2 || pending != 4 {
		t.Errorf("after purge: %d published, %d pending rows; want 2 and 4", published, pending)
	}
	keep := outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{Retention: -1})
	if _, err := e.pool.Exec(ctx, `UPDATE outbox SET published_at = now() - interval '400 days' WHERE published_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if n, err := keep.Purge(ctx); err != nil || n != 0 {
		t.Errorf("Purge with negative retention = %d, %v; want nothing deleted", n, err)
	}
}
