// Package domain holds the Payments rules: money in minor units of an ISO 4217 currency, the double-entry
// ledger's accounts and transfers, batches of credit instructions and their states, vouchers, bills and
// requests to pay. It imports no grpc, pgx or nats, so every rule here is testable without infrastructure.
package domain
