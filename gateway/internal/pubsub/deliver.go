package pubsub

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// screen turns msg into the EventItem for s, and settles it instead when it must not be delivered: the
// publisher cancelled it, or it is older than the subscription's TTL. deliver=false means msg is settled.
func (b *Broker) screen(ctx context.Context, s subscription, msg jetstream.Msg) (item eventItem, md *jetstream.MsgMetadata, deliver bool) {
	md, err := msg.Metadata()
	if err != nil { // not a JetStream message: cannot happen on a consumer, and nothing to deliver
		_ = msg.Term()
		return item, nil, false
	}
	h := msg.Headers()
	item = eventItem{ID: h.Get(jetstream.MsgIDHeader), Sequence: md.Sequence.Stream, EventType: s.EventType,
		Event: msg.Data()}
	if item.ID == "" {
		item.ID = h.Get("ce-id")
	}
	if item.ID == "" { // a BB event from a producer without ids: the stream sequence identifies it
		item.ID = fmt.Sprintf("%s-%d", strings.ToLower(s.Stream), md.Sequence.Stream)
	}
	publisher := h.Get(headerPublisher)
	if publisher == "" {
		publisher = s.Room // BB events are published by the room's building block
	}
	pub := parseClient(publisher)
	item.PublisherID = &pub
	ts := md.Timestamp.UTC()
	item.PublishedAt = &ts

	if s.Stream == StreamName {
		cancelled, err := b.cancelled(ctx, item.ID)
		if err != nil {
			_ = msg.NakWithDelay(time.Second) // the database is unreachable: try again soon
			return item, md, false
		}
		if cancelled {
			_ = msg.Term()
			b.settle(ctx, s, item.ID, "cancelled", "")
			return item, md, false
		}
	}
	if ttl := time.Duration(s.TTLSeconds) * time.Second; time.Since(md.Timestamp) > ttl {
		_ = msg.Term()
		b.metrics.dropped.WithLabelValues("ttl").Inc()
		b.settle(ctx, s, item.ID, "dropped", fmt.Sprintf("expired: not delivered within the subscription's TTL of %s", ttl))
		return item, md, false
	}
	return item, md, true
}

// settle records a final state, logging (not returning) failure: the message is already settled in
// JetStream and only the status view would be stale.
func (b *Broker) settle(ctx context.Context, s subscription, eventID, state, reason string) {
	if err := b.setState(ctx, s.ID, eventID, state, reason); err != nil {
		b.log.WarnContext(ctx, "pubsub: record delivery state", "subscription", s.ID, "event_id", eventID,
			"state", state, "error", err)
	}
}
