package domain

import "time"

// Change is what happened to a record.
type Change int

// The changes a record goes through; each is published as its own event type.
const (
	RecordCreated Change = iota + 1
	RecordUpdated
	RecordDeleted
)

// RecordChanged is the domain event of one record's change. It carries no content: personal data stays in
// the registry, where reading it is logged.
type RecordChanged struct {
	Change   Change
	Registry string // the registry's name
	Version  string
	RecordID string
	// PreviousRecordID is the primary key the record had before an update changed it.
	PreviousRecordID string
	ChangedFields    []string
	ClientID         string // the IM client that made the change
	At               time.Time
}
