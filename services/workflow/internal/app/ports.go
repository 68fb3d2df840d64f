package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Store is everything the use cases persist; internal/store implements it on Postgres.
type Store interface {
	// InTx runs fn in one transaction and commits it with the events fn published; an error from fn rolls
	// everything back. fn may run again when Postgres aborts the transaction (a serialization failure or a
	// deadlock), so it must have no effect outside tx.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	Reader
	Claims
	// PurgeMessages deletes messages that expired before before, with their correlations.
	PurgeMessages(ctx context.Context, before time.Time) (int64, error)
}

// Reader reads outside a transaction (what the API lists and shows).
type Reader interface {
	Definition(ctx context.Context, id string) (domain.Definition, error)
	// LatestDefinition is the newest version of key that is not deleted (and enabled, when enabledOnly).
	LatestDefinition(ctx context.Context, key string, enabledOnly bool) (domain.Definition, error)
	Definitions(ctx context.Context, all bool) ([]domain.Definition, error)
	Instance(ctx context.Context, id string) (domain.Instance, error)
	// InstancesByID reads several instances at once (those that exist), by id.
	InstancesByID(ctx context.Context, ids []string) (map[string]domain.Instance, error)
	Instances(ctx context.Context, f InstanceFilter) ([]domain.Instance, error)
	History(ctx context.Context, instanceID string) ([]domain.HistoryEntry, error)
	Job(ctx context.Context, id string) (domain.Job, error)
	UserTask(ctx context.Context, id string) (domain.UserTask, error)
	UserTasks(ctx context.Context, f TaskFilter) ([]domain.UserTask, error)
	Incidents(ctx context.Context, f IncidentFilter) ([]domain.Incident, error)
	Incident(ctx context.Context, id string) (domain.Incident, error)
	Form(ctx context.Context, id string) (domain.Form, error)
	FlowTriggers(ctx context.Context) ([]domain.FlowTrigger, error)
	Status(ctx context.Context, now time.Time) (Status, error)
	// NextTimer is when the earliest unsuspended timer may be claimed (zero when there is none).
	NextTimer(ctx context.Context) (time.Time, error)
	// NextSignal is when the earliest signal may be claimed (zero when there is none).
	NextSignal(ctx context.Context) (time.Time, error)
}

// Claims lease work, each in a short transaction of its own: rows are picked with FOR UPDATE SKIP LOCKED
// (replicas never wait for each other) and given an owner, a new epoch and an expiry. The work itself is
// done in a later transaction that checks the owner and epoch are still the row's.
type Claims interface {
	ClaimJobs(ctx context.Context, jobType, worker string, max int, lease time.Duration, now time.Time) ([]domain.Job, error)
	ClaimTimers(ctx context.Context, owner string, max int, lease time.Duration, now time.Time) ([]Timer, error)
	ClaimSignals(ctx context.Context, owner string, max int, lease time.Duration, now time.Time) ([]domain.Signal, error)
}

// Tx is a unit of work: the repositories of one transaction. Lock order, everywhere: an instance row first,
// then its job, timer, task and incident rows.
type Tx interface {
	DefinitionTx
	InstanceTx
	WorkTx
	MessageTx
	// Publish adds events to the outbox; they commit with the transaction or not at all.
	Publish(events ...domain.Event)
}

// DefinitionTx changes deployed processes.
type DefinitionTx interface {
	// NextVersion locks key's versions (until the transaction ends) and returns the next version number.
	NextVersion(ctx context.Context, key string) (int, error)
	InsertDefinition(ctx context.Context, d domain.Definition) error
	// SetDefinitionState sets a version's enabled and deleted flags.
	SetDefinitionState(ctx context.Context, id string, enabled, deleted bool) error
	DefinitionIn(ctx context.Context, id string) (domain.Definition, error)
	LatestDefinitionIn(ctx context.Context, key string, enabledOnly bool) (domain.Definition, error)
	// ReplaceStarts makes the start timers and message starts of key those of def (none when def is nil).
	ReplaceStarts(ctx context.Context, key string, def *domain.Definition, timers []Timer, messages []MessageStart) error
	MessageStarts(ctx context.Context, name string) ([]MessageStart, error)
	InsertForm(ctx context.Context, f domain.Form) (domain.Form, error)
	FormIn(ctx context.Context, id string) (domain.Form, error)
	InsertFlowTrigger(ctx context.Context, t domain.FlowTrigger) error
	DeleteFlowTrigger(ctx context.Context, id string) error
	FlowTriggersFor(ctx context.Context, key string, on domain.InstanceState) ([]domain.FlowTrigger, error)
	// AppendHistory writes audit lines outside an instance step (deploys, enable, disable).
	AppendHistory(ctx context.Context, entries ...domain.HistoryEntry) error
}

// InstanceTx reads and writes instances.
type InstanceTx interface {
	// LockInstance reads an instance and locks its row until the transaction ends; a missing one is NotFound.
	LockInstance(ctx context.Context, id string) (domain.Instance, error)
	// LockInstanceOfJob locks the instance a job belongs to, then the job (one round trip); NotFound when
	// the job is gone.
	LockInstanceOfJob(ctx context.Context, jobID string) (domain.Instance, domain.Job, error)
	// FindStarted finds an instance of key started with idempotency key, or active with business key.
	FindStarted(ctx context.Context, key, idempotencyKey, businessKey string) (domain.Instance, bool, error)
	// Write stores what a step did: the instance (inserted when new, else updated if its revision is still
	// w.Instance.Rev-1) and every row the step created, changed or removed.
	Write(ctx context.Context, w StepWrite) error
	// SetSuspended flags the instance's jobs and timers, so activation and firing skip them.
	SetSuspended(ctx context.Context, instanceID string, suspended bool) error
}

// WorkTx locks and changes the rows work is claimed from.
type WorkTx interface {
	LockJob(ctx context.Context, id string) (domain.Job, error)
	UpdateJob(ctx context.Context, j domain.Job) error
	// LockTimer locks a claimed timer; ok is false when it is gone or another owner or epoch holds it.
	LockTimer(ctx context.Context, id, owner string, epoch int) (Timer, bool, error)
	// RescheduleTimer sets a start timer's next due time and repetition and frees it.
	RescheduleTimer(ctx context.Context, t Timer) error
	DeleteTimer(ctx context.Context, id string) error
	// LockSignal locks a claimed signal; ok is false when it is gone or held by another owner or epoch.
	LockSignal(ctx context.Context, id, owner string, epoch int) (bool, error)
	DeleteSignal(ctx context.Context, id string) error
	// FailSignal frees a signal to be tried again at retryAt.
	FailSignal(ctx context.Context, id string, retryAt time.Time) error
	LockUserTask(ctx context.Context, id string) (domain.UserTask, error)
	SaveUserTask(ctx context.Context, t domain.UserTask) error
	LockIncident(ctx context.Context, id string) (domain.Incident, error)
	SaveIncident(ctx context.Context, i domain.Incident) error
	InsertIncident(ctx context.Context, i domain.Incident) error
}

// MessageTx publishes and correlates messages.
type MessageTx interface {
	// LockMessageKey serialises, until the transaction ends, the publishes of name and key with the steps
	// that subscribe to them: each sees the other's committed rows, so no message slips between a publish
	// that found no subscription and a subscription that found no message.
	LockMessageKey(ctx context.Context, name, key string) error
	// InsertMessage stores a message; a message id already stored is not stored again (inserted false,
	// and the message stored first).
	InsertMessage(ctx context.Context, m Message) (stored Message, inserted bool, err error)
	// Subscriptions are the open subscriptions for name and key, oldest first.
	Subscriptions(ctx context.Context, name, key string) ([]Subscription, error)
	// BufferedMessage is the oldest message for name and key still alive at now that has not reached
	// instanceID; ok is false when there is none.
	BufferedMessage(ctx context.Context, name, key, instanceID string, now time.Time) (Message, bool, error)
	// RecordCorrelation notes that message reached the instance; false when it already had.
	RecordCorrelation(ctx context.Context, messageID, instanceID string) (bool, error)
}

// StepWrite is everything one instance's steps in one transaction write.
type StepWrite struct {
	Instance            *domain.Instance
	New                 bool
	Jobs                []domain.Job
	DeleteJobs          []string
	Timers              []Timer
	DeleteTimers        []string
	Subscriptions       []Subscription
	DeleteSubscriptions []string
	UserTasks           []domain.UserTask
	CancelUserTasks     []string
	Incidents           []domain.Incident
	ResolveIncidents    []string
	// ResolveAllIncidents resolves every open incident of the instance (it ended).
	ResolveAllIncidents bool
	History             []domain.HistoryEntry
	Signals             []domain.Signal
	DeleteSignals       []string
}

// Timer is a timer row: an instance's (InstanceID set) or a process version's start timer.
type Timer struct {
	ID           string
	InstanceID   string
	DefinitionID string
	ElementID    string
	EI           string
	DueAt        time.Time
	Repetition   int
	Owner        string
	Epoch        int
}

// Subscription is an open message subscription.
type Subscription struct {
	ID             string
	InstanceID     string
	ElementID      string
	Name           string
	CorrelationKey string
}

// Message is a published message.
type Message struct {
	ID             string
	Name           string
	CorrelationKey string
	MessageID      string
	Variables      map[string]any
	ExpiresAt      time.Time
}

// MessageStart is a message start event of a process's latest enabled version.
type MessageStart struct {
	Name         string
	DefinitionID string
	ElementID    string
}

// InstanceFilter selects instances.
type InstanceFilter struct {
	ProcessKey   string
	DefinitionID string
	State        domain.InstanceState
	BusinessKey  string
	Limit        int
}

// TaskFilter selects user tasks.
type TaskFilter struct {
	State          string
	Assignee       string
	CandidateGroup string
	ProcessKey     string
	// For, when set, keeps the tasks this person may see (assignee, candidate user, a group they hold),
	// before Limit counts: one organisation's tasks are found however many others have.
	For   *domain.Person
	Limit int
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	InstanceID string
	Open       bool
}

// Status is the dashboard's summary.
type Status struct {
	Instances      []InstanceCount
	OverdueTimers  int
	OldestDueTimer *time.Time
	OpenIncidents  int
	JobBacklog     []JobBacklog
}

// InstanceCount is how many instances of a process are in a state.
type InstanceCount struct {
	ProcessKey string
	State      domain.InstanceState
	Count      int
}

// JobBacklog is the jobs of a type by where they stand.
type JobBacklog struct {
	Type                        string
	Waiting, Active, BackingOff int
}
