// Package migrations holds the Registration schema as goose SQL migrations, embedded in the binary so
// `registration migrate` needs nothing but the database. 0001 is accounts and sign-in, 0002 the GovStack
// e-services (services, e-forms, application files, tasks, documents).
package migrations

import "embed"

// FS holds the migration files at its root.
//
//go:embed *.sql
var FS embed.FS
