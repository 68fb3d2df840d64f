// Package store is the Registration BB's Postgres repositories: accounts, single-use and refresh tokens,
// sign-in failures, signing keys and supplier drafts, and the e-services tables (services, e-forms,
// application files, tasks, documents, audit). Store implements the app's ports: reads on the pool, and
// a unit of work (InTx) whose Tx binds the typed methods to one transaction and adds the events published
// in it to the outbox before it commits. Every SQLSTATE is translated here, once (pgstore.MapError).
package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/events"
)

// Store is the Postgres repository of the Registration BB.
type Store struct {
	pool *pgxpool.Pool
}

var _ app.Store = (*Store)(nil)

// New returns a Store on pool; the schema must have been migrated (see registration.Migrations).
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// querier runs a query the same in or out of a transaction.
type querier = pgstore.Querier

// mapErr translates Postgres errors once, at this boundary.
func mapErr(err error) error { return pgstore.MapError(err) }

// InTx runs fn in one transaction; the events fn published go to the outbox just before the commit.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	return mapErr(pgstore.InTx(ctx, s.pool, func(pt pgx.Tx) error {
		t := &tx{tx: pt} // a new one per attempt: a retried transaction publishes only what it did
		if err := fn(t); err != nil {
			return err
		}
		return t.AddTo(ctx, pt, events.Encode) // what fn published, in order
	}))
}

// inTx runs fn in one transaction with the events it returns, for the store's own update-by-closure methods.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) ([]domain.Event, error)) error {
	return mapErr(pgstore.InTx(ctx, s.pool, func(pt pgx.Tx) error {
		evs, err := fn(pt)
		if err != nil {
			return err
		}
		return outbox.AddEncoded(ctx, pt, events.Encode, evs...)
	}))
}

// tx is app.Tx: the typed methods on one transaction.
type tx struct {
	tx pgx.Tx
	outbox.Collector[domain.Event]
}

var _ app.Tx = (*tx)(nil)
