package domain

// Event is a domain event: something that happened which other BBs may react to. internal/events encodes
// each kind into the outbox event Payments publishes.
type Event interface {
	// EventType is the CloudEvents type (and NATS subject) it is published as.
	EventType() string
}
