package messagingv1

// The events the Messaging BB publishes — each also the NATS subject on stream GOVSTACK_MESSAGING. Written
// by hand next to events.proto; publisher and consumers use these.
const (
	EventMessageDelivered = "govstack.messaging.v1.message.delivered"
	EventMessageFailed    = "govstack.messaging.v1.message.failed"
)

// Events are all of them.
var Events = []string{EventMessageDelivered, EventMessageFailed}
