// Package events is the Scheduling BB's event contract: it encodes the domain events the BB publishes into
// outbox events — the type (also the NATS subject on stream GOVSTACK_SCHEDULING) from
// proto/govstack/scheduling/v1/event_types.go, and the protobuf payload the Messaging BB's rules read by
// JSON pointer. The BB consumes no other BB's events; a consumer would live here too.
package events

import (
	"fmt"

	"github.com/govstackbb/marketplace/platform/outbox"
	"google.golang.org/protobuf/proto"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Source is the CloudEvents source of every event of this BB.
const Source = "govstack/scheduling"

// Encoder encodes domain events; CheckIn is the deployment's check-in window, which appointment events
// announce (when check-in opens).
type Encoder struct {
	CheckIn domain.CheckInWindow
}

// Encode returns the outbox event of ev.
func (e Encoder) Encode(ev domain.Event) (outbox.Event, error) {
	switch ev := ev.(type) {
	case domain.AppointmentBooked:
		p := e.appointment(ev.AppointmentFacts)
		p.BookingCode = ev.Appointment.BookingCode // the confirmation carries it
		return event(schedulingv1.EventAppointmentBooked, ev.Appointment.ID, p), nil
	case domain.AppointmentCancelled:
		return event(schedulingv1.EventAppointmentCancelled, ev.Appointment.ID, e.appointment(ev.AppointmentFacts)), nil
	case domain.AppointmentRescheduled:
		return event(schedulingv1.EventAppointmentRescheduled, ev.Appointment.ID, e.rescheduled(ev)), nil
	case domain.AppointmentCheckedIn:
		return event(schedulingv1.EventAppointmentCheckedIn, ev.Appointment.ID, e.appointment(ev.AppointmentFacts)), nil
	case domain.DocumentAdded:
		return event(schedulingv1.EventAppointmentDocumentAdded, ev.Appointment.ID, &schedulingv1.AppointmentDocumentEvent{
			Appointment: e.appointment(ev.AppointmentFacts), DocumentId: ev.Document.ID, Kind: ev.Document.Kind,
			FileName: ev.Document.FileName}), nil
	case domain.AlertFired:
		subject, payload := e.alertFired(ev)
		return event(schedulingv1.EventAlertFired, subject, payload), nil
	case domain.DeadlineReached:
		t := ev.Timer
		return event(schedulingv1.EventDeadlineReached, t.Reference, &schedulingv1.DeadlineReached{DeadlineId: t.ID,
			Subject: t.Subject, Reference: t.Reference, DueAt: timestamp(t.FireAt), Recipients: recipients(t.Recipients)}), nil
	}
	return outbox.Event{}, fmt.Errorf("events: %T is not an event the Scheduling BB publishes", ev)
}

func event(typ, subject string, payload proto.Message) outbox.Event {
	return outbox.Event{Type: typ, Source: Source, Subject: subject, Payload: payload}
}

// alertFired is the subject and payload of alert.fired: a reminder is about its appointment (with the
// booking code the citizen needs at check-in, the day before); an alert schedule's alert id is the
// GovStack alert_schedule_id it came from.
func (e Encoder) alertFired(ev domain.AlertFired) (string, *schedulingv1.AlertFired) {
	t := ev.Timer
	if r := ev.Reminder; r != nil {
		appt := e.appointment(r.AppointmentFacts)
		appt.BookingCode = r.Appointment.BookingCode
		sub := r.Parties.Subscriber
		return r.Appointment.ID, &schedulingv1.AlertFired{AlertId: t.ID, Kind: string(t.Kind), FireAt: timestamp(t.FireAt),
			Message: r.Message(), Appointment: appt, Recipients: []*schedulingv1.Recipient{{Email: sub.Email, Phone: sub.Phone}}}
	}
	return t.Reference, &schedulingv1.AlertFired{AlertId: t.Reference, Kind: string(t.Kind), Message: t.Message,
		FireAt: timestamp(t.FireAt), Recipients: recipients(t.Recipients)}
}

func recipients(rs []domain.Recipient) []*schedulingv1.Recipient {
	out := make([]*schedulingv1.Recipient, 0, len(rs))
	for _, r := range rs {
		out = append(out, &schedulingv1.Recipient{Email: r.Email, Phone: r.Phone})
	}
	return out
}
