package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"google.golang.org/protobuf/types/known/timestamppb"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
)

// The events this BB publishes on stream GOVSTACK_MESSAGING; the payload is messagingv1.MessageOutcome.
const (
	EventMessageDelivered = messagingv1.EventMessageDelivered
	EventMessageFailed    = messagingv1.EventMessageFailed
	eventSource           = "govstack/messaging"
)

type noSender struct{ c domain.Channel }

func (n noSender) Send(context.Context, domain.Message) error {
	return domain.Temporary(errors.New("no sender configured for channel " + string(n.c)))
}

// record writes a group of outcomes, their events (final outcomes only) and the requesters' delivery reports
// in one transaction. An outcome whose claim was lost (another dispatcher took the message after the lease
// expired) is skipped: the other dispatcher's outcome wins.
func (s *Service) record(ctx context.Context, token string, group []result) error {
	return s.store.InTx(ctx, func(tx store.Tx) error {
		var events []outbox.Event
		for _, r := range group {
			m, o := r.m, r.o
			held, err := tx.Finish(ctx, m.ID, token, o)
			if err != nil {
				return err
			}
			if !held {
				s.log.Warn("claim lost before the outcome was recorded", "message_id", m.ID)
				continue
			}
			if o.Status == domain.Deferred {
				continue
			}
			typ := EventMessageFailed
			if o.Status == domain.Delivered {
				typ = EventMessageDelivered
			}
			events = append(events, outbox.Event{Type: typ, Source: eventSource, Subject: m.ID, Payload: outcomeEvent(m, o)})
			if m.CallbackURI != "" {
				body, _ := json.Marshal(callbackReport{RequestUID: m.RequestUID, MessageID: m.ID, Recipient: m.Recipient,
					Status: o.Status.GovStackName(), Error: o.Error, Attempts: m.Attempts, Time: time.Now().UTC()})
				if err := tx.AddCallback(ctx, m.ID, m.CallbackURI, body); err != nil {
					return err
				}
			}
		}
		if len(events) == 0 {
			return nil
		}
		return outbox.Add(ctx, tx.PgxTx(), events...)
	})
}

// callbackReport is the JSON POSTed to a requester's callback URI.
type callbackReport struct {
	RequestUID string    `json:"requestUid"`
	MessageID  string    `json:"messageId"`
	Recipient  string    `json:"recipient"`
	Status     string    `json:"status"`
	Error      string    `json:"error,omitempty"`
	Attempts   int       `json:"attempts"`
	Time       time.Time `json:"time"`
}

func outcomeEvent(m domain.Message, o store.Outcome) *messagingv1.MessageOutcome {
	return &messagingv1.MessageOutcome{MessageId: m.ID, RequestUid: m.RequestUID, Channel: ChannelToProto(m.Channel),
		Status: StatusToProto(o.Status), Attempts: int32(m.Attempts), Error: o.Error,
		TriggerEventType: m.TriggerEvent, OccurredAt: timestamppb.Now()}
}

// ChannelToProto converts a channel.
func ChannelToProto(c domain.Channel) messagingv1.Channel {
	if c == domain.SMS {
		return messagingv1.Channel_CHANNEL_SMS
	}
	return messagingv1.Channel_CHANNEL_EMAIL
}

// StatusToProto converts a status.
func StatusToProto(s domain.Status) messagingv1.MessageStatus {
	return map[domain.Status]messagingv1.MessageStatus{
		domain.Scheduled: messagingv1.MessageStatus_MESSAGE_STATUS_SCHEDULED, domain.Processing: messagingv1.MessageStatus_MESSAGE_STATUS_PROCESSING,
		domain.Deferred: messagingv1.MessageStatus_MESSAGE_STATUS_DEFERRED, domain.Bounced: messagingv1.MessageStatus_MESSAGE_STATUS_BOUNCED,
		domain.NotSent: messagingv1.MessageStatus_MESSAGE_STATUS_NOT_SENT, domain.Delivered: messagingv1.MessageStatus_MESSAGE_STATUS_DELIVERED,
		domain.DeadLetter: messagingv1.MessageStatus_MESSAGE_STATUS_DEAD_LETTER,
	}[s]
}
