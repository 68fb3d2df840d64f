// Package migrations holds the procurement schema as goose SQL migrations, embedded in the binary so
// `procurement migrate` needs nothing but the database.
package migrations

import "embed"

// FS holds the migration files at its root.
//
//go:embed *.sql
var FS embed.FS
