package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Store is everything the use cases persist; internal/store implements it on Postgres. A method changes
// one thing in its own transaction; a use case that changes several at once runs them in InTx.
type Store interface {
	// InTx runs fn in one transaction and commits it with the events fn published; an error from fn rolls
	// everything back. fn may run again when Postgres aborts the transaction (a serialization failure or a
	// deadlock), so it must have no effect outside tx.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	DirectoryStore
	SubscriberStore
	// Appointments lists appointments in start order (then id), with their names, at most f.Limit.
	Appointments(ctx context.Context, f AppointmentFilter) ([]domain.AppointmentListing, error)
	ReadAppointment(ctx context.Context, id string) (domain.Appointment, error)
	DocumentStore
	Records(ctx context.Context, kind domain.RecordKind, f RecordFilter) ([]domain.Record, error)
	TimerStore
}

// DirectoryReader reads what slots are derived from; the store and a transaction both offer it.
type DirectoryReader interface {
	Affiliations(ctx context.Context, f AffiliationFilter) ([]domain.Affiliation, error)
	// Exceptions are a resource's leave and holidays overlapping iv.
	Exceptions(ctx context.Context, resourceID string, iv domain.Interval) ([]domain.Interval, error)
}

// DirectoryStore keeps entities, resources, their affiliations and leave.
type DirectoryStore interface {
	DirectoryReader
	Entities(ctx context.Context, f EntityFilter) ([]domain.Entity, error)
	InsertEntity(ctx context.Context, e domain.Entity) error
	// UpdateEntity locks the entity, lets fn change it and saves it; a missing one is NotFound.
	UpdateEntity(ctx context.Context, id string, fn func(*domain.Entity) error) error
	DeleteEntity(ctx context.Context, id string) error
	Resources(ctx context.Context, f ResourceFilter) ([]domain.Resource, error)
	InsertResource(ctx context.Context, r domain.Resource) error
	UpdateResource(ctx context.Context, id string, fn func(*domain.Resource) error) error
	DeleteResource(ctx context.Context, id string) error
	// AffiliationsByID lists affiliations with their categories (in step).
	AffiliationsByID(ctx context.Context, f AffiliationListFilter) ([]domain.Affiliation, []string, error)
	InsertAffiliation(ctx context.Context, a domain.Affiliation, category string) error
	// UpdateAffiliation sets the category (unchanged when empty) and the hours (unchanged when nil).
	UpdateAffiliation(ctx context.Context, id, category string, hours []domain.Hours) error
	DeleteAffiliation(ctx context.Context, id string) error
	// Busy returns, per resource, what blocks its slots in iv: leave and active appointments.
	Busy(ctx context.Context, resourceIDs []string, iv domain.Interval) (map[string][]domain.Interval, error)
	InsertException(ctx context.Context, id, resourceID string, iv domain.Interval, reason string) error
	DeleteException(ctx context.Context, id string) error
}

// SubscriberStore keeps the citizens who book.
type SubscriberStore interface {
	Subscribers(ctx context.Context, f SubscriberFilter) ([]domain.Subscriber, error)
	ReadSubscriber(ctx context.Context, id string) (domain.Subscriber, error)
	InsertSubscriber(ctx context.Context, s domain.Subscriber) error
	UpdateSubscriber(ctx context.Context, id string, fn func(*domain.Subscriber) error) error
	DeleteSubscriber(ctx context.Context, id string) error
}

// DocumentStore reads the documents attached to appointments.
type DocumentStore interface {
	// Documents lists an appointment's documents, oldest first, without their content.
	Documents(ctx context.Context, appointmentID string) ([]domain.Document, error)
	// Document reads one document with its content; a missing one is NotFound.
	Document(ctx context.Context, id string) (domain.Document, error)
}

// TimerStore keeps durable timers.
type TimerStore interface {
	InsertTimer(ctx context.Context, t domain.Timer) error
	// UpdateDeadline locks a deadline timer, lets fn change its state and saves it; a missing one is NotFound.
	UpdateDeadline(ctx context.Context, id string, fn func(*domain.Timer) error) error
	// NextDue is when the earliest pending timer is due (zero when none is).
	NextDue(ctx context.Context) (time.Time, error)
}

// Tx is a unit of work: the repositories of one transaction. Every read a use case makes inside it goes
// through it — never back through the pool, which would need a second connection while this one is held
// and would read outside the transaction's snapshot.
type Tx interface {
	DirectoryReader
	AppointmentTx
	TimerTx
	RecordTx
	// Publish adds events to the outbox; they commit with the transaction or not at all.
	Publish(events ...domain.Event)
}

// AppointmentTx changes appointments and the subscribers who book them.
type AppointmentTx interface {
	// LockSlot queues the transactions that book one slot of a resource, until they end.
	LockSlot(ctx context.Context, resourceID string, start time.Time) error
	// LockAppointment reads an appointment and locks it until the transaction ends.
	LockAppointment(ctx context.Context, id string) (domain.Appointment, error)
	ReadAppointment(ctx context.Context, id string) (domain.Appointment, error)
	// InsertAppointment stores a new appointment; an overlapping active one is AlreadyExists (slot taken).
	InsertAppointment(ctx context.Context, a domain.Appointment) error
	SaveAppointment(ctx context.Context, a domain.Appointment) error
	// Parties reads the subscriber, resource and entity of a.
	Parties(ctx context.Context, a domain.Appointment) (domain.Parties, error)
	// UpsertSubscriber creates the subscriber or refreshes their contact details.
	UpsertSubscriber(ctx context.Context, s domain.Subscriber) error
	// InsertNewSubscriber stores s unless its id is taken, and reports whether it stored it.
	InsertNewSubscriber(ctx context.Context, s domain.Subscriber) (bool, error)
	// CountDocuments is how many documents an appointment has.
	CountDocuments(ctx context.Context, appointmentID string) (int, error)
	InsertDocument(ctx context.Context, d domain.Document) error
}

// TimerTx changes timers.
type TimerTx interface {
	InsertTimer(ctx context.Context, t domain.Timer) error
	// CancelReminder cancels the pending reminder of an appointment (none pending is fine).
	CancelReminder(ctx context.Context, appointmentID string) error
	// CancelTimersFor cancels the pending timers of kind set for subject and reference.
	CancelTimersFor(ctx context.Context, kind domain.TimerKind, subject, reference string) error
	// ClaimDueTimers locks up to limit pending timers due at now, skipping those another transaction holds.
	ClaimDueTimers(ctx context.Context, now time.Time, limit int) ([]domain.Timer, error)
	MarkFired(ctx context.Context, ids []string, now time.Time) error
}

// RecordTx changes GovStack records.
type RecordTx interface {
	InsertRecord(ctx context.Context, r domain.Record, idx domain.RecordIndex) error
	UpdateRecord(ctx context.Context, r domain.Record, idx domain.RecordIndex) error
	// LockRecord reads a record and locks it until the transaction ends; a missing one is NotFound.
	LockRecord(ctx context.Context, kind domain.RecordKind, id string) (domain.Record, error)
	DeleteRecord(ctx context.Context, kind domain.RecordKind, id string) error
}
