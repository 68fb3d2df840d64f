// Package store is the Payments BB's Postgres repositories: the ledger, batches and their instructions,
// the identity-account mapper, vouchers, bills, callbacks and the audit log. Store implements the app's
// ports: reads on the pool, and a unit of work (InTx) whose Tx binds the typed methods to one transaction
// and adds the events published in it to the outbox before it commits. Every SQLSTATE is translated here,
// once (pgstore.MapError).
package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Store is the Postgres repository of the Payments BB.
type Store struct {
	pool   *pgxpool.Pool
	encode func(domain.Event) (outbox.Event, error)
}

var _ app.Store = (*Store)(nil)

// New returns a Store on pool; encode turns the domain events use cases publish into outbox events (the
// BB's internal/events). The schema must have been migrated (see payments.Migrations).
func New(pool *pgxpool.Pool, encode func(domain.Event) (outbox.Event, error)) *Store {
	return &Store{pool: pool, encode: encode}
}

// querier runs a query the same in or out of a transaction.
type querier = pgstore.Querier

func mapErr(err error) error { return pgstore.MapError(err) }

// InTx runs fn in one transaction; the events fn published go to the outbox just before the commit.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	return mapErr(pgstore.InTx(ctx, s.pool, func(pt pgx.Tx) error {
		t := &tx{tx: pt} // a new one per attempt: a retried transaction publishes only what it did
		if err := fn(t); err != nil {
			return err
		}
		return t.AddTo(ctx, pt, s.encode)
	}))
}

// tx is app.Tx: the typed methods on one transaction.
type tx struct {
	tx pgx.Tx
	outbox.Collector[domain.Event]
}

var _ app.Tx = (*tx)(nil)

func (t *tx) EnsureAccount(ctx context.Context, a domain.Account) (domain.Account, error) {
	return ensureAccount(ctx, t.tx, a)
}

func (t *tx) ApplyTransfers(ctx context.Context, now time.Time, ts ...domain.Transfer) ([]domain.Transfer, error) {
	return applyTransfers(ctx, t.tx, now, ts)
}

func (t *tx) PendingDue(ctx context.Context, now time.Time, limit int) ([]domain.Transfer, error) {
	return pendingDue(ctx, t.tx, now, limit)
}

// Account reads one account with its counters.
func (s *Store) Account(ctx context.Context, tenant, code, currency string) (domain.Account, error) {
	a, err := accountByCode(ctx, s.pool, tenant, code, currency)
	return a, mapErr(err)
}

// TransfersByReference lists the transfers made for reference, oldest first.
func (s *Store) TransfersByReference(ctx context.Context, reference string) ([]domain.Transfer, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+transferColumns+` FROM ledger_transfer WHERE reference = $1
		ORDER BY created_at, id`, reference)
	if err != nil {
		return nil, mapErr(err)
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Transfer, error) { return scanTransfer(r) })
	return ts, mapErr(err)
}

// isUnique reports a unique violation of the named constraint.
func isUnique(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

func (t *tx) TryTransfers(ctx context.Context, now time.Time, ts ...domain.Transfer) ([]domain.Transfer, error) {
	return tryTransfers(ctx, t.tx, now, ts)
}
