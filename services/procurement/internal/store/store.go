// Package store keeps the procurement model in Postgres (pgx) and implements app.Store and app.Tx: one
// transaction per unit of work, whose published events are added to the outbox before the commit.
// SQLSTATEs are translated once, by pgstore.MapError.
package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Encode turns a domain event into its outbox event (internal/events).
type Encode func(domain.Event) (outbox.Event, error)

// Store is the Postgres repository.
type Store struct {
	pool   *pgxpool.Pool
	encode Encode
}

// New returns a Store on a migrated pool.
func New(pool *pgxpool.Pool, encode Encode) *Store { return &Store{pool: pool, encode: encode} }

var _ app.Tx = (*txn)(nil)

// txn is app.Tx on one transaction.
type txn struct {
	q pgx.Tx
	outbox.Collector[domain.Event]
}

// InTx runs fn as one transaction (rerun on a serialization failure) and commits it with its events.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	return pgstore.MapError(pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error { return s.run(ctx, tx, fn) }))
}

// Within runs fn on a transaction someone else commits: the inbox's, so an event's effect commits with the
// mark that it was handled.
func (s *Store) Within(ctx context.Context, tx pgx.Tx, fn func(app.Tx) error) error {
	return pgstore.MapError(s.run(ctx, tx, fn))
}

func (s *Store) run(ctx context.Context, tx pgx.Tx, fn func(app.Tx) error) error {
	t := &txn{q: tx}
	if err := fn(t); err != nil {
		return err
	}
	return t.AddTo(ctx, tx, s.encode)
}

// one maps "no rows" to a NotFound naming what.
func one(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.NotFound(what)
	}
	return err
}

func lockClause(lock bool) string {
	if lock {
		return " FOR UPDATE"
	}
	return ""
}
