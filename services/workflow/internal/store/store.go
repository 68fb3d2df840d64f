// Package store keeps the Workflow BB in Postgres (pgx) and implements the ports internal/app declares:
// Store on the pool, and the unit of work Tx on one transaction, whose published events it adds to the
// outbox before the commit. SQLSTATEs are translated here, once, into the apierr vocabulary.
package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Encode turns a domain event into the outbox event published for it (internal/events).
type Encode func(domain.Event) (outbox.Event, error)

// Store is the Postgres repository of the Workflow BB.
type Store struct {
	queries // on the pool: each statement its own transaction
	pool    *pgxpool.Pool
	encode  Encode
}

// New returns a Store on pool (migrated, see workflow.Migrations) that publishes events encoded by encode.
func New(pool *pgxpool.Pool, encode Encode) *Store {
	return &Store{queries: queries{pool}, pool: pool, encode: encode}
}

var (
	_ app.Store = (*Store)(nil)
	_ app.Tx    = (*txn)(nil)
)

// queries are the statements of this BB, run on the pool or on one transaction.
type queries struct{ q pgstore.Querier }

// txn is the unit of work of one transaction (app.Tx).
type txn struct {
	queries
	tx pgx.Tx // for batches
	outbox.Collector[domain.Event]
}

// InTx runs fn on a unit of work and commits it together with the events fn published. Postgres may abort
// the transaction (serialization failure, deadlock) and pgstore.InTx then runs it again, on a fresh txn.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		t := &txn{queries: queries{tx}, tx: tx}
		if err := fn(t); err != nil {
			return err
		}
		return t.AddTo(ctx, tx, s.encode)
	})
	return pgstore.MapError(err)
}

// notFound names what a read of one row did not find; other errors are mapped.
func notFound(err error, reason, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apierr.NotFound(reason, what+" not found")
	}
	return pgstore.MapError(err)
}

// nullable is nil for "", so optional text columns hold NULL rather than an empty string.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Within runs fn as a unit of work on a transaction someone else opened (an inbox consumer's, which records
// the event in the same transaction), adding fn's events to the outbox; the caller commits.
func (s *Store) Within(ctx context.Context, tx pgx.Tx, fn func(app.Tx) error) error {
	t := &txn{queries: queries{tx}, tx: tx}
	if err := fn(t); err != nil {
		return err
	}
	return t.AddTo(ctx, tx, s.encode)
}
