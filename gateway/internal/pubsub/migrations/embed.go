// Package migrations holds the IM pub/sub schema as goose SQL migrations, embedded in the gateway.
package migrations

import "embed"

// FS holds the migration files at its root.
//
//go:embed *.sql
var FS embed.FS
