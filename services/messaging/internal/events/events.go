// Package events is the Messaging BB's event contract: the events it publishes, encoded from domain events
// into outbox events (type constants from proto/govstack/messaging/v1, messagingv1.MessageOutcome payloads),
// and the consumer of other BBs' events that the notification rules react to.
package events

import (
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"google.golang.org/protobuf/types/known/timestamppb"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Source is the CloudEvents source of every event of this BB.
const Source = "govstack/messaging"

// Encode turns a domain event into the outbox event that announces it on stream GOVSTACK_MESSAGING: its
// type (also the NATS subject) and its payload, with the message id as CloudEvents subject.
func Encode(e domain.Event) (outbox.Event, error) {
	switch e := e.(type) {
	case domain.MessageDelivered:
		return outcome(messagingv1.EventMessageDelivered, e.Message, e.At), nil
	case domain.MessageFailed:
		return outcome(messagingv1.EventMessageFailed, e.Message, e.At), nil
	}
	return outbox.Event{}, fmt.Errorf("events: no encoding for %T", e)
}

func outcome(eventType string, m domain.Message, at time.Time) outbox.Event {
	return outbox.Event{Type: eventType, Source: Source, Subject: m.ID, Payload: &messagingv1.MessageOutcome{
		MessageId: m.ID, RequestUid: m.RequestUID, Channel: ChannelProto(m.Channel), Status: StatusProto(m.Status),
		Attempts: int32(m.Attempts), Error: m.LastError, TriggerEventType: m.TriggerEvent, OccurredAt: timestamppb.New(at),
	}}
}

// ChannelProto is a channel as the contract spells it, in events and API answers alike.
func ChannelProto(c domain.Channel) messagingv1.Channel {
	if c == domain.SMS {
		return messagingv1.Channel_CHANNEL_SMS
	}
	return messagingv1.Channel_CHANNEL_EMAIL
}

var statuses = map[domain.Status]messagingv1.MessageStatus{
	domain.Scheduled:  messagingv1.MessageStatus_MESSAGE_STATUS_SCHEDULED,
	domain.Processing: messagingv1.MessageStatus_MESSAGE_STATUS_PROCESSING,
	domain.Deferred:   messagingv1.MessageStatus_MESSAGE_STATUS_DEFERRED,
	domain.Bounced:    messagingv1.MessageStatus_MESSAGE_STATUS_BOUNCED,
	domain.NotSent:    messagingv1.MessageStatus_MESSAGE_STATUS_NOT_SENT,
	domain.Delivered:  messagingv1.MessageStatus_MESSAGE_STATUS_DELIVERED,
	domain.DeadLetter: messagingv1.MessageStatus_MESSAGE_STATUS_DEAD_LETTER,
}

// StatusProto is a message status as the contract spells it.
func StatusProto(s domain.Status) messagingv1.MessageStatus { return statuses[s] }
