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
	BatchReads
	MapperReads
	CallbackStore
	VoucherReads
	Bill(ctx context.Context, id string) (domain.Bill, error)
	RTP(ctx context.Context, id string) (domain.RTP, error)
}

// Tx is one transaction's typed methods.
type Tx interface {
	LedgerTx
	BatchTx
	MapperTx
	VoucherTx
	BillTx
	// Callback queues a callback to url, sent after the commit (kind and subject say what its body is).
	Callback(ctx context.Context, c domain.Callback) error
	// Audit appends to the audit log.
	Audit(ctx context.Context, e domain.AuditEntry) error
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
	// TryTransfers is ApplyTransfers inside a savepoint: a refusal leaves the rest of the transaction usable
	// (an authorisation records its N, a redemption its failure).
	TryTransfers(ctx context.Context, now time.Time, ts ...domain.Transfer) ([]domain.Transfer, error)
}

// BatchReads read batches and instructions outside a transaction.
type BatchReads interface {
	// Batch reads a batch of tenant with its stats; NotFound BATCH_NOT_FOUND when there is none.
	Batch(ctx context.Context, tenant, id string) (domain.Batch, error)
	// CountBatches counts tenant's batches by status.
	CountBatches(ctx context.Context, tenant string) (map[domain.BatchStatus]int, error)
	// BatchByCorrelation finds the batch a client handed over under a correlation id; found is false when none.
	BatchByCorrelation(ctx context.Context, tenant, client, correlationID string) (b domain.Batch, found bool, err error)
	// Instructions pages through a batch's instructions in order, optionally of one status.
	Instructions(ctx context.Context, batchID string, status domain.InstructionStatus, offset, limit int) ([]domain.Instruction, error)
	// ClaimBatchToValidate leases one received batch (lease ended or never taken) for validation.
	ClaimBatchToValidate(ctx context.Context, now time.Time, lease time.Duration) (b domain.Batch, found bool, err error)
	// ClaimInFlight leases up to limit payments whose next check is due, pushing it to next.
	ClaimInFlight(ctx context.Context, now, next time.Time, limit int) ([]domain.Instruction, error)
	// BatchesToComplete lists authorised batches with no payment left to make or settle.
	BatchesToComplete(ctx context.Context, limit int) ([]domain.Batch, error)
	// Validation reads an account validation job with its items; found is false when there is none.
	Validation(ctx context.Context, tenant, id string) (v domain.Validation, found bool, err error)
	// ClaimValidation leases one pending validation job.
	ClaimValidation(ctx context.Context, now time.Time, lease time.Duration) (v domain.Validation, found bool, err error)
}

// BatchTx changes batches inside a transaction.
type BatchTx interface {
	// InsertBatch stores a new batch and its instructions. Instruction ids the tenant already used in another
	// batch are refused, listed (DUPLICATE_INSTRUCTIONS).
	InsertBatch(ctx context.Context, b domain.Batch, ins []domain.Instruction) error
	// LockBatch reads a batch of tenant (with its stats) and locks it for the transaction.
	LockBatch(ctx context.Context, tenant, id string) (domain.Batch, error)
	UpdateBatch(ctx context.Context, b domain.Batch) error
	// SetValidated records validation outcomes (VALID or INVALID, with reason and chosen rail) of a batch's instructions.
	SetValidated(ctx context.Context, batchID string, ins []domain.Instruction) error
	// ClaimForSubmission locks up to limit valid instructions of authorised batches (others' locks skipped).
	ClaimForSubmission(ctx context.Context, limit int) ([]domain.Instruction, error)
	// LockInstruction reads and locks the instruction a tenant handed over under id (NotFound PAYMENT_NOT_FOUND).
	LockInstruction(ctx context.Context, tenant, id string) (domain.Instruction, error)
	// LockInstructions locks instructions by rail id, in rail id order.
	LockInstructions(ctx context.Context, railIDs []string) ([]domain.Instruction, error)
	// UpdateInstructions saves instructions' state; next is when the reconciliation looks at those in flight.
	UpdateInstructions(ctx context.Context, ins []domain.Instruction, next time.Time) error
	// SaveValidation stores a new validation job and its items, or the outcome of its items.
	SaveValidation(ctx context.Context, v domain.Validation) error
}

// MapperReads read the identity-account mapper.
type MapperReads interface {
	// Beneficiaries returns the active mappings of payee identities of tenant (unknown ones are left out).
	Beneficiaries(ctx context.Context, tenant string, identities []string) (map[string]domain.Beneficiary, error)
	// MapperRequest reads the outcome of a register or update request.
	MapperRequest(ctx context.Context, tenant, requestID string) (domain.MapperRequest, error)
}

// MapperTx changes the mapper inside a transaction.
type MapperTx interface {
	// LockBeneficiaries locks and returns the existing mappings of identities (active or not).
	LockBeneficiaries(ctx context.Context, tenant string, identities []string) (map[string]domain.Beneficiary, error)
	SaveBeneficiaries(ctx context.Context, tenant string, bs []domain.Beneficiary) error
	InsertMapperRequest(ctx context.Context, r domain.MapperRequest) error
}

// CallbackStore keeps the callbacks to deliver.
type CallbackStore interface {
	// ClaimCallbacks leases up to limit due callbacks, pushing their next attempt to next.
	ClaimCallbacks(ctx context.Context, now, next time.Time, limit int) ([]domain.Callback, error)
	// CallbackDone records a delivery (err nil), a failed attempt to retry at retryAt, or giving up.
	CallbackDone(ctx context.Context, id string, at time.Time, err error, retryAt time.Time, giveUp bool) error
}

// VoucherReads read vouchers.
type VoucherReads interface {
	// Voucher reads a voucher of tenant ("": of any tenant) by serial.
	Voucher(ctx context.Context, tenant, serial string) (domain.Voucher, error)
	// VoucherKey is the database's HMAC key for voucher numbers, drawn the first time it is asked for.
	VoucherKey(ctx context.Context) ([]byte, error)
}

// VoucherTx changes vouchers inside a transaction.
type VoucherTx interface {
	// NextVoucherSerials draws n serial numbers.
	NextVoucherSerials(ctx context.Context, n int) ([]string, error)
	InsertVouchers(ctx context.Context, vs []domain.Voucher) error
	// LockVoucher reads and locks a voucher of tenant ("": of any tenant) by serial (NotFound VOUCHER_NOT_FOUND).
	LockVoucher(ctx context.Context, tenant, serial string) (domain.Voucher, error)
	// LockVoucherByNumber reads and locks the voucher of a number's HMAC (InvalidArgument INVALID_VOUCHER_NUMBER).
	LockVoucherByNumber(ctx context.Context, tenant string, hash []byte) (domain.Voucher, error)
	// VoucherByTransfer finds and locks the voucher a reservation belongs to.
	VoucherByTransfer(ctx context.Context, transferID string) (domain.Voucher, bool, error)
	UpdateVoucher(ctx context.Context, v domain.Voucher) error
}

// BillTx changes bills and requests to pay inside a transaction.
type BillTx interface {
	LockBill(ctx context.Context, id string) (b domain.Bill, found bool, err error)
	SaveBill(ctx context.Context, b domain.Bill) error
	LockRTP(ctx context.Context, id string) (domain.RTP, error)
	SaveRTP(ctx context.Context, r domain.RTP) error
}
