package events

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// appointment is the payload the Messaging BB's rules read: who, with whom, where, when — also in the
// hospital's own time zone, as the e-mails show it, and when check-in opens. The national id is never in it.
func (e Encoder) appointment(f domain.AppointmentFacts) *schedulingv1.AppointmentEvent {
	a, p := f.Appointment, f.Parties
	loc := p.Entity.LocationOrUTC()
	opens := e.CheckIn.Opens(a)
	return &schedulingv1.AppointmentEvent{
		StartTimeLocal:    domain.LocalTime(a.Start, loc),
		EndTimeLocal:      domain.LocalEnd(a.Start, a.End, loc),
		CheckInOpensTime:  timestamp(opens),
		CheckInOpensLocal: domain.LocalTime(opens, loc),
		AppointmentId:     a.ID,
		StartTime:         timestamp(a.Start),
		EndTime:           timestamp(a.End),
		Reason:            a.Reason,
		Subscriber: &schedulingv1.EventSubscriber{Id: p.Subscriber.ID, Name: p.Subscriber.Name,
			Email: p.Subscriber.Email, Phone: p.Subscriber.Phone},
		Resource: &schedulingv1.EventResource{Id: p.Resource.ID, Name: p.Resource.Name, Email: p.Resource.Email},
		Entity: &schedulingv1.EventEntity{Id: p.Entity.ID, Name: p.Entity.Name, Email: p.Entity.Email,
			TimeZone: p.Entity.TimeZone},
	}
}

// rescheduled says where the appointment was, and carries the booking code (the move's e-mail shows it).
func (e Encoder) rescheduled(ev domain.AppointmentRescheduled) *schedulingv1.AppointmentEvent {
	p := e.appointment(ev.AppointmentFacts)
	p.PreviousStartTime = timestamp(ev.PreviousStart)
	p.PreviousStartTimeLocal = domain.LocalTime(ev.PreviousStart, ev.Parties.Entity.LocationOrUTC())
	p.BookingCode = ev.Appointment.BookingCode
	return p
}

func timestamp(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }
