package pgstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func counter(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT n FROM counter WHERE id = 1`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	pool := newStore(t)
	boom := errors.New("boom")
	err := pgstore.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE counter SET n = n + 1 WHERE id = 1`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	if n := counter(t, pool); n != 0 {
		t.Errorf("counter = %d after rollback, want 0", n)
	}
	if err := pgstore.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE counter SET n = n + 1 WHERE id = 1`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n := counter(t, pool); n != 1 {
		t.Errorf("counter = %d after commit, want 1", n)
	}
}

func TestInTxRollsBackOnPanic(t *testing.T) {
	ctx := context.Background()
	pool := newStore(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was swallowed")
			}
		}()
		_ = pgstore.InTx(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE counter SET n = n + 1 WHERE id = 1`); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if n := counter(t, pool); n != 0 {
		t.Errorf("counter = %d after panic, want 0", n)
	}
}

// TestInTxRetriesSerializationFailures runs read-modify-write increments at SERIALIZABLE from several
// goroutines: Postgres aborts the losers with 40001 and InTx must retry them until every increment lands.
func TestInTxRetriesSerializationFailures(t *testing.T) {
	ctx := context.Background()
	pool := newStore(t)
	const workers = 4
	var mu sync.Mutex
	attempts := 0
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := make(chan struct{})
	for range workers {
		wg.Go(func() {
			<-start
			errs <- pgstore.InTx(ctx, pool, func(tx pgx.Tx) error {
				mu.Lock()
				attempts++
				mu.Unlock()
				if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`); err != nil {
					return err
				}
				var n int
				if err := tx.QueryRow(ctx, `SELECT n FROM counter WHERE id = 1`).Scan(&n); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `UPDATE counter SET n = $1 WHERE id = 1`, n+1)
				return err
			})
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++ // five straight conflicts is possible in theory; it must then surface as Aborted
			t.Logf("InTx gave up: %v", err)
		}
	}
	if n := counter(t, pool); n != workers-failed {
		t.Errorf("counter = %d, want %d (lost update)", n, workers-failed)
	}
	t.Logf("%d attempts for %d transactions", attempts, workers)
}

func TestInTxRespectsContext(t *testing.T) {
	pool := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := pgstore.InTx(ctx, pool, func(pgx.Tx) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("InTx with cancelled ctx = %v", err)
	}
}
