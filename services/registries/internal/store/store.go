// Package store keeps registries, their records and the personal data usage log in Postgres (pgx). Every
// SQLSTATE is translated here, once, into the apierr vocabulary.
package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is the Postgres repository of the Digital Registries BB.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a Store on pool; the schema must have been migrated (see registries.Migrations).
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// querier is what both the pool and a transaction offer, so a query runs the same in or out of one.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
