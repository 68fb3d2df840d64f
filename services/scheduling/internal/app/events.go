package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// appointmentEvent builds the payload the Messaging BB's rules read: who, with whom, where, when — also in
// the hospital's own time zone, as the e-mails show it, and when check-in opens.
func (s *Service) appointmentEvent(a domain.Appointment, p store.Parties) *schedulingv1.AppointmentEvent {
	loc := entityLocation(p.Entity)
	opens := s.checkInOpens(a)
	return &schedulingv1.AppointmentEvent{
		StartTimeLocal:    domain.LocalTime(a.Start, loc),
		EndTimeLocal:      domain.LocalEnd(a.Start, a.End, loc),
		CheckInOpensTime:  timestamppb.New(opens),
		CheckInOpensLocal: domain.LocalTime(opens, loc),
		AppointmentId:     a.ID,
		StartTime:         timestamppb.New(a.Start),
		EndTime:           timestamppb.New(a.End),
		Reason:            a.Reason,
		Subscriber: &schedulingv1.EventSubscriber{Id: p.Subscriber.ID, Name: p.Subscriber.Name,
			Email: p.Subscriber.Email, Phone: p.Subscriber.Phone},
		Resource: &schedulingv1.EventResource{Id: p.Resource.ID, Name: p.Resource.Name, Email: p.Resource.Email},
		Entity: &schedulingv1.EventEntity{Id: p.Entity.ID, Name: p.Entity.Name, Email: p.Entity.Email,
			TimeZone: p.Entity.TimeZone},
	}
}

// entityLocation is the entity's zone; an entity's zone is checked when it is saved, so the UTC fallback is
// only a readable last resort.
func entityLocation(e domain.Entity) *time.Location {
	loc, err := e.Location()
	if err != nil {
		return time.UTC
	}
	return loc
}

// addAppointmentEvent reads the appointment's parties and adds the event to the outbox in tx; edit may
// add fields (the booking code, previousStartTime).
func (s *Service) addAppointmentEvent(ctx context.Context, tx pgx.Tx, typ string, a domain.Appointment, edit func(*schedulingv1.AppointmentEvent, store.Parties)) error {
	p, err := store.AppointmentParties(ctx, tx, a)
	if err != nil {
		return err
	}
	ev := s.appointmentEvent(a, p)
	if edit != nil {
		edit(ev, p)
	}
	return outbox.Add(ctx, tx, outbox.Event{Type: typ, Source: eventSource, Subject: a.ID, Payload: ev})
}

func recipientsPB(rs []domain.Recipient) []*schedulingv1.Recipient {
	out := make([]*schedulingv1.Recipient, 0, len(rs))
	for _, r := range rs {
		out = append(out, &schedulingv1.Recipient{Email: r.Email, Phone: r.Phone})
	}
	return out
}

// withBookingCode puts the code the citizen shows at check-in into the event their confirmation is made from.
func withBookingCode(a domain.Appointment) func(*schedulingv1.AppointmentEvent, store.Parties) {
	return func(ev *schedulingv1.AppointmentEvent, _ store.Parties) { ev.BookingCode = a.BookingCode }
}
