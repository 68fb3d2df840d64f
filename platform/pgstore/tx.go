package pgstore

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxAttempts bounds how often InTx runs fn when Postgres keeps aborting it: a conflict that survives five
// attempts is contention the caller should hear about (as Aborted, through MapError).
const maxAttempts = 5

// InTx runs fn in a transaction and commits it. fn's error (or a panic) rolls back. When Postgres aborts the
// transaction with a serialization failure (40001) or a deadlock (40P01) the whole transaction is retried with
// jittered exponential backoff, so fn must not have effects outside tx. The error is returned unmapped; use
// MapError at the repository boundary.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			if werr := sleepCtx(ctx, backoff(attempt)); werr != nil {
				return errors.Join(err, werr)
			}
		}
		err = runTx(ctx, pool, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

func runTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) (err error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			// Rollback must run even when ctx is cancelled, or the connection goes back to the pool mid-transaction.
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	for _, hook := range txHooks(ctx) {
		if err = hook(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// TxHook runs inside every transaction InTx commits under a context that carries it, just before the
// commit: what must commit together with whatever the transaction does (the mark that an idempotent
// request's work was applied, platform/idempotency).
type TxHook func(ctx context.Context, tx pgx.Tx) error

type txHooksKey struct{}

// WithTxHook returns ctx carrying hook for the transactions InTx runs under it.
func WithTxHook(ctx context.Context, hook TxHook) context.Context {
	return context.WithValue(ctx, txHooksKey{}, append(txHooks(ctx)[:len(txHooks(ctx)):len(txHooks(ctx))], hook))
}

func txHooks(ctx context.Context) []TxHook {
	h, _ := ctx.Value(txHooksKey{}).([]TxHook)
	return h
}

func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// backoff is "full jitter": a random delay up to 10ms·2^attempt, so transactions that collided once are
// unlikely to collide again.
func backoff(attempt int) time.Duration {
	ceiling := 10 * time.Millisecond << attempt
	return time.Duration(rand.Int64N(int64(ceiling))) + time.Millisecond
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Querier is what a pool and a transaction both offer, so a store's query runs the same in or out of one.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
