// Package domain holds the Messaging BB's rules that need no infrastructure: message statuses and their
// GovStack names, address validation, retry timing, template rendering and event-rule recipient lookup.
package domain

import (
	"errors"
	"fmt"
)

// Channel is how a message travels.
type Channel string

// The channels.
const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Status is a message's state as stored.
type Status string

// The statuses. DeadLetter is a temporary failure whose retries are exhausted: final until an operator retries it.
const (
	Scheduled  Status = "scheduled"
	Processing Status = "processing"
	Deferred   Status = "deferred"
	Bounced    Status = "bounced"
	NotSent    Status = "not_sent"
	Delivered  Status = "delivered"
	DeadLetter Status = "dead_letter"
)

// GovStackName is the status as the GovStack API spells it; a dead letter counts as notSent.
func (s Status) GovStackName() string {
	switch s {
	case NotSent, DeadLetter:
		return "notSent"
	default:
		return string(s)
	}
}

// GovStackStatuses are the status names GET /status/email accepts, in the swagger's order.
var GovStackStatuses = []string{"scheduled", "processing", "deferred", "bounced", "notSent", "delivered"}

// SendError is a failed delivery attempt. Permanent failures (a bounce, an invalid number) are final;
// temporary ones (a time-out, a 4xx SMTP reply, a 5xx from the SMS provider) are retried.
type SendError struct {
	Permanent bool
	Err       error
	// Loggable, when set, describes the failure for the log in place of Err, which is stored with the
	// message: a provider's answer may quote the text or the recipient back, so its sender keeps it out.
	Loggable string
}

func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("%s: %v", kind, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// Permanent wraps err as a final failure.
func Permanent(err error) error { return &SendError{Permanent: true, Err: err} }

// Temporary wraps err as a retryable failure.
func Temporary(err error) error { return &SendError{Err: err} }

// IsPermanent says whether err is a final delivery failure. Errors that are not SendErrors are temporary: an
// unknown failure is retried rather than dropped.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}
