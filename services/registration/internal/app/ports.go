package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// The ports: what the use cases need from Postgres (internal/store implements them) and from Digital
// Registries (internal/registry, through the Information Mediator). Errors are apierr errors; a store's
// "not found" is a NotFound naming what is missing.

// Store is the Postgres side. Reads outside a transaction go straight to it; a use case that changes several
// things at once does so in InTx, through the Tx it is given.
type Store interface {
	AccountReads
	EServiceReads
	DraftStore
	KeyStore
	// InTx runs fn in one transaction and commits what it did together with the events it published. An
	// error from fn rolls everything back. fn may run again when Postgres aborts the transaction
	// (serialization failure, deadlock), so it must have no effect outside tx.
	InTx(ctx context.Context, fn func(Tx) error) error
	// UpdateSignInFailures changes the failed sign-ins of an e-mail address (zero when it has none) by
	// closure, in one transaction with the events fn returns.
	UpdateSignInFailures(ctx context.Context, emailKey string, fn func(*domain.SignInFailures) ([]domain.Event, error)) error
	// AddDocuments stores uploaded documents, all or none.
	AddDocuments(ctx context.Context, docs []domain.Document) error
	AdminSeeder
}

// AccountReads are the reads of accounts and their sign-in state.
type AccountReads interface {
	Account(ctx context.Context, id string) (domain.Account, error)
	// AccountByEmail finds the account with e-mail (any case); found is false when there is none.
	AccountByEmail(ctx context.Context, email string) (a domain.Account, found bool, err error)
	AccountExists(ctx context.Context, k AccountKeys) (bool, error)
	// PeekLinkToken returns a link token unused and unexpired at now, without using it; ok is false otherwise.
	PeekLinkToken(ctx context.Context, token string, now time.Time) (t domain.LinkToken, ok bool, err error)
	SignInFailures(ctx context.Context, emailKey string) (domain.SignInFailures, error)
}

// AccountKeys are what makes an account unique: any one of them taken means the account exists (empty
// ones are ignored).
type AccountKeys struct {
	Email, NationalID, CompanyID, HospitalID, StaffID string
}

// EServiceReads are the reads of the e-services engine.
type EServiceReads interface {
	ListServices(ctx context.Context, nameContains string) ([]domain.Service, error)
	Service(ctx context.Context, id string) (domain.Service, error)
	ListEForms(ctx context.Context, serviceID string) ([]domain.EForm, error)
	EForm(ctx context.Context, id string) (domain.EForm, error)
	LatestEForm(ctx context.Context, serviceID string) (domain.EForm, error)
	Application(ctx context.Context, fileID string) (domain.Application, error)
	ListApplications(ctx context.Context, f ApplicationFilter) ([]domain.ApplicationItem, error)
	Task(ctx context.Context, id string) (domain.Task, error)
	ListTasks(ctx context.Context, f TaskFilter) ([]domain.Task, error)
	Document(ctx context.Context, id string) (domain.Document, error)
	// ExistingDocuments returns which of ids are stored documents.
	ExistingDocuments(ctx context.Context, ids []string) (map[string]bool, error)
	// DecisionCounts counts decided tasks per period of q.Timeframe (the whole range, keyed by the zero
	// time, when it is empty).
	DecisionCounts(ctx context.Context, q domain.StatsQuery) (map[time.Time]domain.StatsCounts, error)
}

// ApplicationFilter selects files for a list; empty fields do not filter.
type ApplicationFilter struct {
	ServiceID, ApplicantID string
	Page                   domain.Page
}

// TaskFilter selects tasks for a list; empty fields do not filter.
type TaskFilter struct {
	MainTaskID, FileID, AssigneeID string
	// ApplicantID, when set, keeps only tasks on that applicant's files.
	ApplicantID string
	Page        domain.Page
}

// DraftStore keeps supplier drafts.
type DraftStore interface {
	AddDraft(ctx context.Context, d domain.SupplierDraft, now time.Time) error
	// Draft returns an unsubmitted draft unexpired at now; ok is false otherwise.
	Draft(ctx context.Context, id string, now time.Time) (d domain.SupplierDraft, ok bool, err error)
	// UpdateDraft locks the draft, lets change alter it and saves it, in one transaction; ok is false when
	// there is no unsubmitted, unexpired draft id.
	UpdateDraft(ctx context.Context, id string, now time.Time, change func(*domain.SupplierDraft) error) (ok bool, err error)
}

// KeyStore keeps the access-token signing keys.
type KeyStore interface {
	// NewestKeyBefore is the newest key created at or before t, or the oldest when all are newer; ok is
	// false when there is none.
	NewestKeyBefore(ctx context.Context, t time.Time) (k domain.SigningKey, ok bool, err error)
	// KeysSince are the public keys created after since, newest first, and always at least the newest.
	KeysSince(ctx context.Context, since time.Time) ([]domain.PublicKey, error)
	// RotateKeys gives next the newest key under a lock all replicas share, and stores the key next
	// returns (nil: none), so replicas that check at once make one key between them.
	RotateKeys(ctx context.Context, next func(newest domain.SigningKey, found bool) (*domain.SigningKey, error)) error
}

// Tx is the unit of work: typed repository methods bound to one transaction, and the events to publish
// when it commits.
type Tx interface {
	AccountTx
	TokenTx
	EServiceTx
	// Publish adds events to the outbox of this transaction: they are published if and only if it commits.
	Publish(events ...domain.Event)
}

// AccountTx changes accounts.
type AccountTx interface {
	// AddAccount inserts a unless an account with the same e-mail, company, national id or staff number
	// exists; created is false when one does, and existing is then that account.
	AddAccount(ctx context.Context, a domain.Account) (created bool, existing domain.Account, err error)
	Account(ctx context.Context, id string) (domain.Account, error)
	// LockAccount reads an account FOR UPDATE.
	LockAccount(ctx context.Context, id string) (domain.Account, error)
	// SaveAccount writes a's state (status, password, activation, application file) and returns it as stored.
	SaveAccount(ctx context.Context, a domain.Account) (domain.Account, error)
	// AdminEmails are the e-mail addresses of the active administrators.
	AdminEmails(ctx context.Context) ([]string, error)
	ClearSignInFailures(ctx context.Context, emailKey string) error
	MarkDraftSubmitted(ctx context.Context, draftID string, now time.Time) error
}

// TokenTx changes single-use links and refresh tokens.
type TokenTx interface {
	AddLinkToken(ctx context.Context, t domain.LinkToken) error
	// UseLinkToken marks a token of purpose used at now and returns its account; of concurrent uses
	// exactly one gets ok.
	UseLinkToken(ctx context.Context, token, purpose string, now time.Time) (accountID string, ok bool, err error)
	AddRefreshToken(ctx context.Context, t domain.RefreshToken) error
	// LockRefreshToken reads a refresh token FOR UPDATE; ok is false when it is unknown.
	LockRefreshToken(ctx context.Context, token string) (t domain.RefreshToken, ok bool, err error)
	MarkRefreshTokenUsed(ctx context.Context, token string, at time.Time) error
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	RevokeAccountRefreshTokens(ctx context.Context, accountID string, at time.Time) error
}

// EServiceTx changes application files and tasks.
type EServiceTx interface {
	ServiceByKey(ctx context.Context, key string) (domain.Service, error)
	EForm(ctx context.Context, id string) (domain.EForm, error)
	LatestEForm(ctx context.Context, serviceID string) (domain.EForm, error)
	AddApplication(ctx context.Context, a domain.Application) error
	// LockApplication reads a file FOR UPDATE.
	LockApplication(ctx context.Context, fileID string) (domain.Application, error)
	// SaveApplication writes a file's name, data, documents and status.
	SaveApplication(ctx context.Context, a domain.Application) error
	AddTask(ctx context.Context, t domain.Task) error
	// LockTask reads a task FOR UPDATE (not its file), so concurrent completions queue up.
	LockTask(ctx context.Context, id string) (domain.Task, error)
	// SaveTask writes a task's completion.
	SaveTask(ctx context.Context, t domain.Task) error
	AddAudit(ctx context.Context, e domain.AuditEntry) error
}

// Registries is Digital Registries (every registry version 1.0), reached through the Information Mediator.
// A registry that cannot be reached is a 503 REGISTRY_UNAVAILABLE; a write its schema refuses is a 400
// REGISTRY_REJECTED.
type Registries interface {
	// ReadRecord reads the one record matching query; found is false when there is none.
	ReadRecord(ctx context.Context, registry string, query map[string]any) (record map[string]any, found bool, err error)
	// UpsertRecord writes fields to the record matching query, creating it if there is none (idempotent).
	UpsertRecord(ctx context.Context, registry string, query, fields map[string]any) error
	// UpdateRecord merges fields into the record matching query.
	UpdateRecord(ctx context.Context, registry string, query, fields map[string]any) error
}
