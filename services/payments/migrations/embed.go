// Package migrations holds the Payments schema as goose SQL migrations, embedded in the binary so
// `payments migrate` needs nothing but the database.
package migrations

import "embed"

// FS holds the migration files at its root.
//
//go:embed *.sql
var FS embed.FS
