// Package domain holds the Digital Registries rules: what a registry (a "database" in GovStack's words) and
// a record are, how a list query is shaped and bounded, how an update merges into a record, and which names
// are acceptable. It imports no grpc, pgx or nats, so every rule here is testable without infrastructure.
package domain
