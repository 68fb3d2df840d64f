package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// A message's life:
//
//	accepted   → Scheduled, or NotSent when refused at acceptance (Reject)
//	Claim      Scheduled | Deferred | Processing (its lease expired) → Processing, one more attempt
//	Attempted  Processing → Delivered | Bounced | Deferred (retries left) | DeadLetter (retries used up)
//	Release    Processing → Scheduled | Deferred, the attempt given back (a stopping dispatcher never tried it)
//	Requeue    DeadLetter | Deferred | Bounced → Scheduled with a fresh attempt budget (an operator's retry)
//
// Which messages are due, and for how long a lease holds, is the store's query on the database's clock; the
// transitions themselves are here.

// MaxErrorBytes bounds the delivery error kept with a message: an SMTP server may answer with a novel.
const MaxErrorBytes = 1000

// ReasonNotRetryable is the reason of Requeue's refusal (ErrorInfo GOVSTACK_MESSAGING_MESSAGE_NOT_RETRYABLE).
const ReasonNotRetryable = "MESSAGE_NOT_RETRYABLE"

// Event is a domain event: what a transition raises, published through the outbox when the change commits.
type Event interface{ messageEvent() }

// MessageDelivered is raised when the receiving server or provider accepted a message.
type MessageDelivered struct {
	Message Message
	At      time.Time
}

// MessageFailed is raised when a message will not be delivered: a permanent failure (Bounced) or retries
// used up (DeadLetter).
type MessageFailed struct {
	Message Message
	At      time.Time
}

func (MessageDelivered) messageEvent() {}
func (MessageFailed) messageEvent()    {}

// Reject marks a message refused at acceptance (bad address, opted out, over the rate): it is stored as
// NotSent with the reason, so the requester's status report shows it.
func (m *Message) Reject(reason string) {
	m.Status, m.LastError = NotSent, reason
}

// Claim takes m for one delivery attempt under lease token. The store offers only due messages; a
// Processing one is offered once its lease expired (its dispatcher died), and the claim counts as another
// attempt, because the dead dispatcher's send may have gone out.
func (m *Message) Claim(token string) error {
	switch m.Status {
	case Scheduled, Deferred, Processing:
	default:
		return m.transitionError("claim")
	}
	m.Status, m.LeaseToken = Processing, token
	m.Attempts++
	return nil
}

// Attempted records the result of the delivery attempt m was claimed for (sendErr nil: delivered) and
// returns the event it raises: none while retries remain. A permanent failure is final at once; a temporary
// one is retried after retry.Delay until retry is exhausted, then m is a dead letter.
func (m *Message) Attempted(sendErr error, retry RetryPolicy, now time.Time) (Event, error) {
	if m.Status != Processing {
		return nil, m.transitionError("record an attempt of")
	}
	m.LeaseToken, m.NextAttempt, m.LastError = "", time.Time{}, ""
	switch {
	case sendErr == nil:
		m.Status = Delivered
		return MessageDelivered{Message: *m, At: now}, nil
	case IsPermanent(sendErr):
		m.Status = Bounced
	case retry.Exhausted(m.Attempts):
		m.Status = DeadLetter
	default:
		m.Status, m.NextAttempt = Deferred, now.Add(retry.Delay(m.Attempts))
		m.LastError = TruncateError(sendErr.Error())
		return nil, nil
	}
	m.LastError = TruncateError(sendErr.Error())
	return MessageFailed{Message: *m, At: now}, nil
}

// Release gives a claimed message back unattempted: it is due again at once and the attempt does not count.
func (m *Message) Release() error {
	if m.Status != Processing {
		return m.transitionError("release")
	}
	m.Status = Scheduled
	if m.Attempts > 1 {
		m.Status = Deferred // it failed before: keep showing it as waiting for a retry
	}
	m.Attempts--
	m.LeaseToken, m.NextAttempt = "", time.Time{}
	return nil
}

// Requeue is an operator's retry of a message that failed: due at once, with a fresh attempt budget.
func (m *Message) Requeue() error {
	switch m.Status {
	case DeadLetter, Deferred, Bounced:
	default:
		return apierr.FailedPrecondition(ReasonNotRetryable, "message "+m.ID+" is not a dead letter, deferred or bounced")
	}
	m.Status, m.Attempts, m.NextAttempt, m.LastError = Scheduled, 0, time.Time{}, ""
	return nil
}

// transitionError is a transition the state machine does not have: a bug or a lost race, never a caller's
// mistake.
func (m *Message) transitionError(what string) error {
	return fmt.Errorf("message %s: cannot %s a %s message", m.ID, what, m.Status)
}

// TruncateError cuts a delivery error to MaxErrorBytes without splitting a character: Postgres refuses text
// that is not valid UTF-8, and the outcome would then not be recorded at all.
func TruncateError(s string) string {
	return strings.ToValidUTF8(s[:min(len(s), MaxErrorBytes)], "")
}
