package inbox_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/jackc/pgx/v5"
)

func TestProcessAppliesAnEventOnce(t *testing.T) {
	ctx := context.Background()
	pool := setupDB(t)
	d := inbox.Delivery{ID: "evt-1", Type: eventType}
	for i, want := range []bool{true, false, false} {
		applied, err := inbox.Process(ctx, pool, "registries-projector", d, applyEffect)
		if err != nil || applied != want {
			t.Fatalf("delivery %d: applied %v, err %v; want %v", i+1, applied, err, want)
		}
	}
	// Another consumer of the same event has its own record.
	if applied, err := inbox.Process(ctx, pool, "audit", d, func(context.Context, pgx.Tx, inbox.Delivery) error { return nil }); err != nil || !applied {
		t.Fatalf("second consumer: applied %v, err %v", applied, err)
	}
	if got := effects(t, pool)["evt-1"]; got != 1 {
		t.Errorf("effect applied %d times, want 1", got)
	}
}

func TestProcessConcurrentDuplicates(t *testing.T) {
	ctx := context.Background()
	pool := setupDB(t)
	d := inbox.Delivery{ID: "evt-concurrent"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied := 0
	for range 8 {
		wg.Go(func() {
			ok, err := inbox.Process(ctx, pool, "c", d, applyEffect)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				applied++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if applied != 1 || effects(t, pool)["evt-concurrent"] != 1 {
		t.Errorf("applied %d times, effect %d; want 1 and 1", applied, effects(t, pool)["evt-concurrent"])
	}
}

func TestProcessFailureRecordsNothing(t *testing.T) {
	ctx := context.Background()
	pool := setupDB(t)
	d := inbox.Delivery{ID: "evt-2"}
	boom := errors.New("boom")
	failing := func(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
		if err := applyEffect(ctx, tx, d); err != nil {
			return err
		}
		return boom
	}
	if applied, err := inbox.Process(ctx, pool, "c", d, failing); !errors.Is(err, boom) || applied {
		t.Fatalf("failing handler: applied %v, err %v", applied, err)
	}
	if len(effects(t, pool)) != 0 {
		t.Fatal("failed handler left an effect")
	}
	if applied, err := inbox.Process(ctx, pool, "c", d, applyEffect); err != nil || !applied {
		t.Fatalf("retry: applied %v, err %v; want the event applied", applied, err)
	}
	if _, err := inbox.Process(ctx, pool, "c", inbox.Delivery{}, applyEffect); err == nil {
		t.Error("Process accepted a delivery without an id")
	}
}
