package domain

import "time"

// Message is one message to one recipient, as stored.
type Message struct {
	ID            string
	RequestID     string // empty for event-triggered messages
	RequestUID    string // the API requestUid, for callbacks and events
	CallbackURI   string // the requester's callback, if any
	Position      int    // index in the request's recipient list
	Channel       Channel
	Recipient     string
	RecipientName string
	CC, BCC       string // comma-separated, e-mail only
	SenderName    string
	SenderAddress string
	ReplyTo       string
	Subject       string
	BodyText      string
	BodyHTML      string
	Transactional bool
	TriggerEvent  string // event type of a rule-triggered message
	Status        Status
	Attempts      int
	LastError     string
	NextAttempt   time.Time // when a deferred message is due; zero: at once (on the database's clock)
	LeaseToken    string    // the claim a dispatcher holds while Processing
	UpdatedAt     time.Time
}

// MessageIDHeader is the stable RFC 5322 Message-ID of message id. It is the same on every attempt, so a
// receiver (or the test's SMTP sink) can drop the duplicate that a crash between the SMTP server's "250 OK"
// and our database update would cause.
func MessageIDHeader(id string) string { return "<" + id + "@messaging.govstack>" }

// Rule maps an event type to a notification.
type Rule struct {
	ID               int
	EventType        string
	TemplateName     string
	Channel          Channel
	Language         string
	RecipientPointer string
	ConditionPointer string
	ConditionValue   string
	Transactional    bool
}

// Matches says whether the rule applies to an event with this (decoded JSON) payload: it has no condition,
// or the value at ConditionPointer equals ConditionValue (see ConditionMatches).
func (r Rule) Matches(payload any) bool {
	return r.ConditionPointer == "" || ConditionMatches(payload, r.ConditionPointer, r.ConditionValue)
}
