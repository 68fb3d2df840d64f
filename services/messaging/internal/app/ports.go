package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// The ports: what the use cases need from the outside world, declared here and implemented elsewhere —
// internal/store (Postgres), internal/delivery (SMTP, the SMS provider, callback POSTs). Every error a port
// returns is already in the apierr vocabulary where it concerns the caller (NotFound, Unavailable, ...).

// Clock is the use cases' only source of "now".
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// Sender delivers one message over one channel; a failure is domain.Permanent or domain.Temporary (anything
// else counts as temporary).
type Sender interface {
	Send(ctx context.Context, m domain.Message) error
}

// ReportPoster POSTs a delivery report (JSON) to a requester's callback URI; an error is retried later.
type ReportPoster interface {
	Post(ctx context.Context, uri string, report []byte) error
}

// Store is everything the use cases persist.
type Store interface {
	// InTx runs fn in one transaction: everything fn changes and publishes commits together, or nothing does.
	InTx(ctx context.Context, fn func(Tx) error) error
	DispatchStore
	MessageStore
	TemplateStore
	OptOutStore
	RuleStore
	CallbackStore
}

// Tx is the unit of work of a use case that changes several things at once (a request and its messages; a
// group of delivery outcomes with their events and callbacks). Every read inside it sees the transaction.
type Tx interface {
	// ClaimRequest stores r unless its (key, requestUid) exists; then fresh is false and prior is the first
	// request. A concurrent identical request waits until the first commits, then sees it.
	ClaimRequest(ctx context.Context, r Request) (prior PriorRequest, fresh bool, err error)
	// SetAnswer stores the answer a repeat of the request gets.
	SetAnswer(ctx context.Context, requestID string, answer []byte) error
	// OptedOut says which of addrs are on channel c's opt-out list.
	OptedOut(ctx context.Context, c domain.Channel, addrs []string) (map[string]bool, error)
	// RecentCounts counts the messages accepted for each of addrs on channel c since since (the
	// per-recipient rate limit; kept in the database so that every replica sees the same count).
	RecentCounts(ctx context.Context, c domain.Channel, addrs []string, since time.Time) (map[string]int, error)
	InsertMessages(ctx context.Context, msgs []domain.Message) error
	// SaveClaimed writes msgs, each changed by a domain transition from Processing, if the claim token
	// still holds them; lost are the ids it no longer held (another dispatcher took them over after the
	// lease expired; its outcome wins).
	SaveClaimed(ctx context.Context, token string, msgs []domain.Message) (lost []string, err error)
	// QueueReport queues a delivery report for the requester's callback URI.
	QueueReport(ctx context.Context, messageID, uri string, report []byte) error
	// LatestTemplate is the newest version of a template; NotFound when there is none.
	LatestTemplate(ctx context.Context, name string, c domain.Channel, lang string) (domain.Template, error)
	// RulesFor lists the enabled notification rules of an event type.
	RulesFor(ctx context.Context, eventType string) ([]domain.Rule, error)
	// Publish adds events to the outbox: they are published if and only if the transaction commits.
	Publish(events ...domain.Event)
}

// Request is an accepted API request's identity.
type Request struct {
	ID, APIKeyName, RequestUID, CallbackURI string
	Channel                                 domain.Channel
}

// PriorRequest is the first request of a (key, requestUid) a repeat finds: its channel and its answer.
type PriorRequest struct {
	Channel domain.Channel
	Answer  []byte
}

// DispatchStore holds the dispatcher's claims (leases) on due messages.
type DispatchStore interface {
	// ClaimDue locks up to n due messages (scheduled or deferred whose time has come, processing ones whose
	// lease expired) that no other dispatcher is claiming, applies claim to each, and saves them with a lease
	// of lease from now, in one transaction.
	ClaimDue(ctx context.Context, n int, lease time.Duration, claim func(*domain.Message) error) ([]domain.Message, error)
	// RenewLease extends to lease from now the lease of every message token still holds, and counts them.
	RenewLease(ctx context.Context, token string, lease time.Duration) (int64, error)
}

// MessageStore reads messages and changes one by closure.
type MessageStore interface {
	// UpdateMessage locks message id, applies change, and saves it and the events change returns in one
	// transaction; an error from change rolls back. NotFound when there is no such message.
	UpdateMessage(ctx context.Context, id string, change func(*domain.Message) ([]domain.Event, error)) (domain.Message, error)
	// RequestMessages lists the messages of the request (key, requestUid) of channel c in recipient order;
	// NotFound when there is no such request.
	RequestMessages(ctx context.Context, keyName, requestUID string, c domain.Channel) ([]domain.Message, error)
	// DeadLetters lists dead letters, oldest first.
	DeadLetters(ctx context.Context, limit int) ([]domain.Message, error)
	// AddInboundCallback stores a client's callback content for its request; NotFound when there is none.
	AddInboundCallback(ctx context.Context, keyName, requestUID string, c domain.Channel, meta string, content []byte) error
}

// TemplateStore keeps the versions of templates.
type TemplateStore interface {
	// CreateTemplateVersion stores t as the next version of (name, channel, language); AlreadyExists when a
	// concurrent create took the same number.
	CreateTemplateVersion(ctx context.Context, t domain.Template) (domain.Template, error)
	// Template reads a version (0: the latest); NotFound when there is none.
	Template(ctx context.Context, name string, c domain.Channel, lang string, version int) (domain.Template, error)
	// LatestTemplates lists the latest version of each template.
	LatestTemplates(ctx context.Context) ([]domain.Template, error)
}

// OptOutStore keeps the opt-out list.
type OptOutStore interface {
	AddOptOut(ctx context.Context, c domain.Channel, addr string) (domain.OptOut, error) // idempotent
	RemoveOptOut(ctx context.Context, c domain.Channel, addr string) error               // NotFound when not listed
	OptOuts(ctx context.Context) ([]domain.OptOut, error)
	// OptOutsOf lists the entries of one address, its mailbox name compared without regard to case.
	OptOutsOf(ctx context.Context, c domain.Channel, addr string) ([]domain.OptOut, error)
}

// RuleStore keeps the notification rules.
type RuleStore interface {
	Rules(ctx context.Context) ([]domain.Rule, error) // the enabled ones
}

// OutgoingCallback is a queued delivery report.
type OutgoingCallback struct {
	ID       int64
	URI      string
	Report   []byte
	Attempts int
}

// CallbackStore keeps the queue of delivery reports to POST.
type CallbackStore interface {
	// ClaimCallbacks takes up to n due reports and pushes their next attempt lease ahead, so a crash
	// mid-POST retries the report after lease instead of losing it.
	ClaimCallbacks(ctx context.Context, n int, lease time.Duration) ([]OutgoingCallback, error)
	// FinishCallback marks a report sent, or schedules its next attempt (given up, done with errText, when
	// next is zero).
	FinishCallback(ctx context.Context, id int64, sent bool, next time.Time, errText string) error
}
