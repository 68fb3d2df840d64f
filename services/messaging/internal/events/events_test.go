package events

import (
	"testing"
	"time"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

func TestEncode(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	m := domain.Message{ID: "m-1", RequestUID: "r-1", Channel: domain.SMS, Attempts: 3, LastError: "550 no",
		TriggerEvent: schedulingv1.EventAppointmentBooked}
	delivered, failed := m, m
	delivered.Status, failed.Status = domain.Delivered, domain.DeadLetter
	for _, c := range []struct {
		event    domain.Event
		wantType string
		status   messagingv1.MessageStatus
	}{
		{domain.MessageDelivered{Message: delivered, At: at}, messagingv1.EventMessageDelivered, messagingv1.MessageStatus_MESSAGE_STATUS_DELIVERED},
		{domain.MessageFailed{Message: failed, At: at}, messagingv1.EventMessageFailed, messagingv1.MessageStatus_MESSAGE_STATUS_DEAD_LETTER},
	} {
		e, err := Encode(c.event)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := e.Payload.(*messagingv1.MessageOutcome)
		if e.Type != c.wantType || e.Source != Source || e.Subject != "m-1" || !ok {
			t.Fatalf("%+v", e)
		}
		if p.GetMessageId() != "m-1" || p.GetRequestUid() != "r-1" || p.GetChannel() != messagingv1.Channel_CHANNEL_SMS ||
			p.GetStatus() != c.status || p.GetAttempts() != 3 || p.GetError() != "550 no" ||
			p.GetTriggerEventType() != m.TriggerEvent || !p.GetOccurredAt().AsTime().Equal(at) {
			t.Errorf("payload %v", p)
		}
	}
	if _, err := Encode(nil); err == nil {
		t.Error("an event without an encoding was encoded")
	}
}

// Every status the domain has is in the contract: an unmapped one would be published as UNSPECIFIED.
func TestEveryStatusHasAProtoName(t *testing.T) {
	for _, s := range []domain.Status{domain.Scheduled, domain.Processing, domain.Deferred, domain.Bounced,
		domain.NotSent, domain.Delivered, domain.DeadLetter} {
		if StatusProto(s) == messagingv1.MessageStatus_MESSAGE_STATUS_UNSPECIFIED {
			t.Errorf("%s has no proto status", s)
		}
	}
	if ChannelProto(domain.Email) != messagingv1.Channel_CHANNEL_EMAIL || ChannelProto(domain.SMS) != messagingv1.Channel_CHANNEL_SMS {
		t.Error("channels")
	}
}
