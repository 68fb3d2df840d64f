// Package store keeps the Scheduling model in Postgres (pgx). Functions take a Querier, so the app layer
// runs several of them in one transaction; SQLSTATEs are translated here into the apierr vocabulary.
package store

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what both the pool and a transaction offer, so a query runs the same in or out of one.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// noOverlapConstraint is the exclusion constraint that forbids double booking.
const noOverlapConstraint = "appointment_no_overlap"

// mapError turns the exclusion violation into the client-facing 409 "slot already booked" (AlreadyExists:
// the gateway maps it to 409, whereas FailedPrecondition would be 400); the rest goes through MapError.
func mapError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23P01" && pgErr.ConstraintName == noOverlapConstraint {
		return apierr.Wrap(apierr.KindAlreadyExists, "SLOT_ALREADY_BOOKED", "slot already booked", err)
	}
	return pgstore.MapError(err)
}
