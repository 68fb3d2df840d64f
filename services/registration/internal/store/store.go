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
	"github.com/jackc/pgx/v5/pgconn"
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

// querier is what both the pool and a transaction offer, so a query runs the same in or out of one.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// mapErr translates Postgres errors once, at this boundary.
func mapErr(err error) error { return pgstore.MapError(err) }

// InTx runs fn in one transaction; the events fn published go to the outbox just before the commit.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	return mapErr(pgstore.InTx(ctx, s.pool, func(pt pgx.Tx) error {
		t := &tx{tx: pt} // a new one per attempt: a retried transaction publishes only what it did
		if err := fn(t); err != nil {
			return err
		}
		return t.flush(ctx)
	}))
}

// inTx runs fn in one transaction with the events it returns, for the store's own update-by-closure methods.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) ([]domain.Event, error)) error {
	return mapErr(pgstore.InTx(ctx, s.pool, func(pt pgx.Tx) error {
		evs, err := fn(pt)
		if err != nil {
			return err
		}
		return addEvents(ctx, pt, evs)
	}))
}

func addEvents(ctx context.Context, pt pgx.Tx, evs []domain.Event) error {
	encoded, err := events.Encode(evs...)
	if err != nil {
		return err
	}
	return outbox.Add(ctx, pt, encoded...)
}

// tx is app.Tx: the typed methods on one transaction.
type tx struct {
	tx     pgx.Tx
	events []domain.Event
}

var _ app.Tx = (*tx)(nil)

// Publish keeps events for the outbox; flush adds them when fn has succeeded, in the order published.
func (t *tx) Publish(evs ...domain.Event) { t.events = append(t.events, evs...) }

func (t *tx) flush(ctx context.Context) error { return addEvents(ctx, t.tx, t.events) }
