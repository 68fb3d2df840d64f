// Package migrations holds the IM message log and audit log schema as goose SQL migrations, embedded so the
// gateway needs nothing but its database to create it.
package migrations

import "embed"

// FS holds the migration files at its root.
//
//go:embed *.sql
var FS embed.FS
