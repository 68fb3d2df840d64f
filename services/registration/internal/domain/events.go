package domain

import "time"

// Event is something that happened in this BB that other BBs hear about. The aggregates' transitions
// return them; the store adds them to the outbox in the transaction of the change, and internal/events
// encodes each kind into the published contract (type and protobuf payload).
type Event interface {
	OccurredAt() time.Time
}

// Link is a single-use link e-mailed to an account holder: an activation or a password reset.
type Link struct {
	Purpose   string // PurposeActivate or PurposeReset
	URL       string // the portal's page with ?token=…
	ExpiresAt time.Time
}

// AccountRegistered: a new account is pending activation; its holder is e-mailed the activation link.
type AccountRegistered struct {
	Account Account
	Link    Link
	At      time.Time
}

// AccountRegistrationRepeated: someone registered with the details of an existing account. Its holder is
// e-mailed a fresh link (activation while pending, reset once active); the caller learnt nothing.
type AccountRegistrationRepeated struct {
	Account Account
	Link    Link
	At      time.Time
}

// AccountActivated: the account's holder set a password from the activation link.
type AccountActivated struct {
	Account Account
	At      time.Time
}

// AccountLocked: the account's e-mail address was locked after too many failed sign-ins.
type AccountLocked struct {
	Account Account
	At      time.Time
}

// PasswordResetRequested: the holder of an active account asked for a reset link.
type PasswordResetRequested struct {
	Account Account
	Link    Link
	At      time.Time
}

// ApplicationSubmitted: an application file was opened.
type ApplicationSubmitted struct {
	File Application
	At   time.Time
}

// ApplicationDecided: an operator decided an application file (File carries the new status).
type ApplicationDecided struct {
	File       Application
	Comment    string
	OperatorID string
	At         time.Time
}

// DomainAccessRequested: someone asked for a public-sector domain to be approved; the administrators are
// told.
type DomainAccessRequested struct {
	FileID              string
	Request             DomainAccessRequest
	AdministratorEmails []string
	At                  time.Time
}

// DomainAccessDecided: an administrator decided a domain-access request; the requester is told, with the
// buyer registration link when it was approved.
type DomainAccessDecided struct {
	FileID           string
	Request          DomainAccessRequest
	Approved         bool
	Comment          string
	RegistrationLink string
	At               time.Time
}

func (e AccountRegistered) OccurredAt() time.Time           { return e.At }
func (e AccountRegistrationRepeated) OccurredAt() time.Time { return e.At }
func (e AccountActivated) OccurredAt() time.Time            { return e.At }
func (e AccountLocked) OccurredAt() time.Time               { return e.At }
func (e PasswordResetRequested) OccurredAt() time.Time      { return e.At }
func (e ApplicationSubmitted) OccurredAt() time.Time        { return e.At }
func (e ApplicationDecided) OccurredAt() time.Time          { return e.At }
func (e DomainAccessRequested) OccurredAt() time.Time       { return e.At }
func (e DomainAccessDecided) OccurredAt() time.Time         { return e.At }
