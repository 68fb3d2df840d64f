// Package store implements the Messaging BB's app ports on Postgres (pgx): requests and messages, the
// dispatcher's claims, templates, the opt-out list, the notification rules and the delivery-report queue.
// Every SQLSTATE is translated here, once, into the apierr vocabulary (pgstore.MapError).
package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/events"
)

// Store is the Postgres repository of the Messaging BB; it implements app.Store.
type Store struct{ pool *pgxpool.Pool }

var _ app.Store = (*Store)(nil)

// New returns a Store on pool; the schema must have been migrated (see messaging.Migrations).
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// querier runs a query the same in or out of a transaction.
type querier = pgstore.Querier

// InTx runs fn as one transaction (see pgstore.InTx; a serialization failure reruns fn), with the events fn
// publishes added to the outbox just before the commit.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	return pgstore.MapError(pgstore.InTx(ctx, s.pool, func(ptx pgx.Tx) error { return runUnit(ctx, ptx, fn) }))
}

// Within runs fn as a unit of work on a transaction someone else owns and commits: the inbox's, so that the
// messages an event causes commit with the mark that the event was handled.
func (s *Store) Within(ctx context.Context, ptx pgx.Tx, fn func(app.Tx) error) error {
	return pgstore.MapError(runUnit(ctx, ptx, fn))
}

func runUnit(ctx context.Context, ptx pgx.Tx, fn func(app.Tx) error) error {
	t := &tx{tx: ptx}
	if err := fn(t); err != nil {
		return err
	}
	return t.AddTo(ctx, ptx, events.Encode) // what fn published, in order
}

// tx is app.Tx on one pgx transaction.
type tx struct {
	tx                             pgx.Tx
	outbox.Collector[domain.Event] // Publish: the events go to the outbox when the unit of work succeeds
}
