package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Booking is a request to book one slot.
type Booking struct {
	ResourceID, StartTime, Reason string
	Subscriber                    domain.Subscriber
}

// Book books the slot: the subscriber is stored, the appointment inserted (the exclusion constraint refuses
// a taken slot with "slot already booked"), the reminder timer set and appointment.booked published — one
// transaction. A citizen books only for themselves (see caller.bookingFor).
func (s *Service) Book(ctx context.Context, b Booking) (domain.Appointment, error) {
	if err := domain.Required("resource_id", b.ResourceID); err != nil {
		return domain.Appointment{}, err
	}
	c := callerOf(ctx)
	var err error
	if b.Subscriber.ID, err = c.bookingFor(b.Subscriber.ID); err != nil {
		return domain.Appointment{}, err
	}
	b.Subscriber = c.fromAccount(b.Subscriber)
	if err := domain.CheckSubscriber(b.Subscriber); err != nil {
		return domain.Appointment{}, err
	}
	start, err := s.futureStart(b.StartTime)
	if err != nil {
		return domain.Appointment{}, err
	}
	var a domain.Appointment
	err = s.store.InTx(ctx, func(tx Tx) error {
		slot, err := slotFor(ctx, tx, b.ResourceID, "", start)
		if err != nil {
			return err
		}
		if err := tx.LockSlot(ctx, slot.Resource.ID, slot.Start); err != nil {
			return err
		}
		if err := storeSubscriber(ctx, tx, c, b.Subscriber); err != nil {
			return err
		}
		var booked domain.AppointmentBooked
		a, booked = domain.Book(newID(), slot, b.Subscriber, b.Reason)
		if err := tx.InsertAppointment(ctx, a); err != nil {
			return err
		}
		if err := tx.InsertTimer(ctx, domain.NewReminder(newID(), a, s.now())); err != nil {
			return err
		}
		tx.Publish(booked)
		return nil
	})
	return a, err
}

// futureStart reads the start_time of a booking or a move, which must not be in the past.
func (s *Service) futureStart(startTime string) (start time.Time, err error) {
	if start, err = domain.ParseTime("start_time", startTime); err != nil {
		return start, err
	}
	if start.Before(s.now()) {
		return start, apierr.Invalid(domain.ReasonInPast, "start_time is in the past",
			apierr.FieldViolation{Field: "start_time", Description: "must be in the future"})
	}
	return start, nil
}

// BookRecord is GovStack's appointment/new: Book, except that a subscriber given by id alone is booked with
// their stored details. A citizen's first booking has none stored and takes them from the account.
func (s *Service) BookRecord(ctx context.Context, b Booking) (domain.Appointment, error) {
	c := callerOf(ctx)
	var err error
	if b.Subscriber.ID, err = c.bookingFor(b.Subscriber.ID); err != nil {
		return domain.Appointment{}, err
	}
	if b.Subscriber.Name == "" && b.Subscriber.ID != "" {
		stored, err := s.store.ReadSubscriber(ctx, b.Subscriber.ID)
		switch {
		case err == nil:
			b.Subscriber = stored
		case !c.citizen || apierr.KindOf(err) != apierr.KindNotFound:
			return domain.Appointment{}, err
		}
	}
	return s.Book(ctx, b)
}
