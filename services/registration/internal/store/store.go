// Package store is the Registration BB's Postgres repositories: accounts, single-use and refresh tokens,
// sign-in failures, signing keys and supplier drafts (this package's account files), and the e-services
// tables (its eservices files). Functions take a pgx.Tx or pool through the Querier interface, so use cases
// choose the transaction.
package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what both *pgxpool.Pool and pgx.Tx offer.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// mapErr translates Postgres errors once, at this boundary.
func mapErr(err error) error { return pgstore.MapError(err) }
