package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// The ports: what the use cases need from Postgres (internal/store implements them) and from the rails
// (internal/fakerail in tests, the rails of package rail in production). Errors are apierr errors.

// Store is the Postgres side. Reads outside a transaction go straight to it; a use case that changes
// several things at once does so in InTx, through the Tx it is given.
type Store interface {
	// InTx runs fn in one transaction and commits what it did together with the events it published. An
	// error from fn rolls everything back. fn may run again when Postgres aborts the transaction
	// (serialization failure, deadlock), so it must have no effect outside tx.
	InTx(ctx context.Context, fn func(Tx) error) error
	LedgerReads
}

// Tx is one transaction's typed methods.
type Tx interface {
	LedgerTx
	// Publish adds events to the outbox of this transaction: they are published if and only if it commits.
	Publish(events ...domain.Event)
}

// LedgerReads read the ledger outside a transaction.
type LedgerReads interface {
	Account(ctx context.Context, tenant, code, currency string) (domain.Account, error)
	// TransfersByReference lists the transfers made for reference, oldest first.
	TransfersByReference(ctx context.Context, reference string) ([]domain.Transfer, error)
}

// LedgerTx changes the ledger inside a transaction.
type LedgerTx interface {
	// EnsureAccount returns the account of a's tenant, code and currency, creating it with a's flags first
	// when there is none.
	EnsureAccount(ctx context.Context, a domain.Account) (domain.Account, error)
	// ApplyTransfers writes transfers as one unit (all or none) as of now and returns them as written
	// (resolving ones completed from their pending transfer). Refusals are apierr errors with the ledger's
	// reasons: INSUFFICIENT_FUNDS, PENDING_ALREADY_RESOLVED, TRANSFER_EXISTS, ...
	ApplyTransfers(ctx context.Context, now time.Time, ts ...domain.Transfer) ([]domain.Transfer, error)
	// PendingDue lists up to limit pending transfers that expired by now and are unresolved.
	PendingDue(ctx context.Context, now time.Time, limit int) ([]domain.Transfer, error)
}
