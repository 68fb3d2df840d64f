// Package store keeps registries, their records and the personal data usage log in Postgres (pgx). Every
// SQLSTATE is translated here, once, into the apierr vocabulary.
package store

import (
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is the Postgres repository of the Digital Registries BB.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a Store on pool; the schema must have been migrated (see registries.Migrations).
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// querier runs a query the same in or out of a transaction.
type querier = pgstore.Querier
