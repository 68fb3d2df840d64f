// Package store keeps the Scheduling model in Postgres (pgx) and implements the ports internal/app
// declares: Store on the pool, and the unit of work Tx on one transaction, whose published events it adds
// to the outbox before the commit. SQLSTATEs are translated here, once, into the apierr vocabulary.
package store

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Encode turns a domain event into the outbox event published for it (internal/events).
type Encode func(domain.Event) (outbox.Event, error)

// Store is the Postgres repository of the Scheduling BB.
type Store struct {
	queries // on the pool: each statement its own transaction
	pool    *pgxpool.Pool
	encode  Encode
}

// New returns a Store on pool (migrated, see scheduling.Migrations) that publishes events encoded by encode.
func New(pool *pgxpool.Pool, encode Encode) *Store {
	return &Store{queries: queries{pool}, pool: pool, encode: encode}
}

var (
	_ app.Store = (*Store)(nil)
	_ app.Tx    = (*txn)(nil)
)

// querier runs a query the same in or out of a transaction.
type querier = pgstore.Querier

// queries are the statements of this BB, run on the pool or on one transaction.
type queries struct{ q querier }

// txn is the unit of work of one transaction (app.Tx).
type txn struct {
	queries
	outbox.Collector[domain.Event] // Publish: the events go to the outbox when the use case is done
}

// InTx runs fn on a unit of work and commits it together with the events fn published. Postgres may abort
// the transaction (serialization failure, deadlock) and pgstore.InTx then runs it again, on a fresh txn.
func (s *Store) InTx(ctx context.Context, fn func(app.Tx) error) error {
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		t := &txn{queries: queries{tx}}
		if err := fn(t); err != nil {
			return err
		}
		return t.AddTo(ctx, tx, s.encode)
	})
	return mapError(err)
}

// inTx runs fn on the statements of one transaction: a store method that changes one thing in several
// statements.
func (s *Store) inTx(ctx context.Context, fn func(queries) error) error {
	return mapError(pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error { return fn(queries{tx}) }))
}

// noOverlapConstraint is the exclusion constraint that forbids double booking.
const noOverlapConstraint = "appointment_no_overlap"

// mapError turns the exclusion violation into the client-facing 409 "slot already booked" (AlreadyExists:
// the gateway maps it to 409, whereas FailedPrecondition would be 400); the rest goes through MapError.
func mapError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23P01" && pgErr.ConstraintName == noOverlapConstraint {
		e := apierr.Wrap(apierr.KindAlreadyExists, domain.ReasonSlotTaken, "slot already booked", err)
		e.Violations = []apierr.FieldViolation{{Field: "start_time", Description: "someone else has booked this time: choose another free one"}}
		return e
	}
	return pgstore.MapError(err)
}

func notFoundIfNone(n int64, what string) error {
	if n == 0 {
		return apierr.NotFound(domain.ReasonNotFound, what+" not found")
	}
	return nil
}

// notFoundIfNoRows names what was not found when a read of one row found none; other errors are mapped.
func notFoundIfNoRows(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apierr.NotFound(domain.ReasonNotFound, what+" not found")
	}
	return mapError(err)
}
