package app

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// Booking is a request to book one slot.
type Booking struct {
	ResourceID, StartTime, Reason string
	Subscriber                    domain.Subscriber
}

// Book books the slot: the subscriber is stored, the appointment inserted (the exclusion constraint refuses
// a taken slot with "slot already booked"), the reminder timer set and appointment.booked added — one
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
	start, err := domain.ParseTime("start_time", b.StartTime)
	if err != nil {
		return domain.Appointment{}, err
	}
	now := s.now()
	if start.Before(now) {
		return domain.Appointment{}, apierr.Invalid(domain.ReasonInPast, "start_time is in the past",
			apierr.FieldViolation{Field: "start_time", Description: "must be in the future"})
	}
	slot, err := slotFor(ctx, s.pool, b.ResourceID, "", start)
	if err != nil {
		return domain.Appointment{}, err
	}
	a := domain.Appointment{ID: uuid.NewString(), ResourceID: b.ResourceID, EntityID: slot.Entity.ID,
		SubscriberID: b.Subscriber.ID, Start: slot.Start, End: slot.End, Status: domain.StatusBooked,
		BookingCode: domain.NewBookingCode(), Reason: b.Reason}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := store.LockSlot(ctx, tx, a.ResourceID, a.Start); err != nil {
			return err
		}
		if err := storeSubscriber(ctx, tx, c, b.Subscriber); err != nil {
			return err
		}
		if err := store.InsertAppointment(ctx, tx, a); err != nil {
			return err
		}
		if err := s.setReminder(ctx, tx, a); err != nil {
			return err
		}
		return s.addAppointmentEvent(ctx, tx, EventAppointmentBooked, a, withBookingCode(a))
	})
	return a, err
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
		stored, err := store.ReadSubscriber(ctx, s.pool, b.Subscriber.ID)
		switch {
		case err == nil:
			b.Subscriber = stored
		case !c.citizen || apierr.KindOf(err) != apierr.KindNotFound:
			return domain.Appointment{}, err
		}
	}
	return s.Book(ctx, b)
}

func (s *Service) setReminder(ctx context.Context, tx pgx.Tx, a domain.Appointment) error {
	return store.InsertTimer(ctx, tx, domain.Timer{ID: uuid.NewString(), Kind: domain.TimerAppointmentReminder,
		FireAt: domain.ReminderAt(a.Start, s.now()), AppointmentID: a.ID})
}

// Cancel cancels a booked appointment; its slot is free once this commits.
func (s *Service) Cancel(ctx context.Context, id, reason string) (domain.Appointment, error) {
	if err := checkID("appointment_id", id); err != nil {
		return domain.Appointment{}, err
	}
	var a domain.Appointment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if a, err = lockBooked(ctx, tx, id); err != nil {
			return err
		}
		a.Status, a.Reason = domain.StatusCancelled, reason
		if err := store.UpdateAppointment(ctx, tx, a); err != nil {
			return err
		}
		if err := store.CancelReminder(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.addAppointmentEvent(ctx, tx, EventAppointmentCancelled, a, nil)
	})
	return a, err
}

// Reschedule moves a booked appointment to another slot of its resource at the same entity, in one
// transaction: the new slot is taken and the old one freed together, or nothing changes.
func (s *Service) Reschedule(ctx context.Context, id, startTime string) (domain.Appointment, error) {
	if err := checkID("appointment_id", id); err != nil {
		return domain.Appointment{}, err
	}
	start, err := domain.ParseTime("start_time", startTime)
	if err != nil {
		return domain.Appointment{}, err
	}
	if start.Before(s.now()) {
		return domain.Appointment{}, apierr.Invalid(domain.ReasonInPast, "start_time is in the past",
			apierr.FieldViolation{Field: "start_time", Description: "must be in the future"})
	}
	var a domain.Appointment
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if a, err = lockBooked(ctx, tx, id); err != nil {
			return err
		}
		slot, err := slotFor(ctx, tx, a.ResourceID, a.EntityID, start)
		if err != nil {
			return err
		}
		previous := a.Start
		if err := store.LockSlot(ctx, tx, a.ResourceID, slot.Start); err != nil {
			return err
		}
		a.Start, a.End = slot.Start, slot.End
		if err := store.UpdateAppointment(ctx, tx, a); err != nil {
			return err
		}
		if err := store.CancelReminder(ctx, tx, a.ID); err != nil {
			return err
		}
		if err := s.setReminder(ctx, tx, a); err != nil {
			return err
		}
		return s.addAppointmentEvent(ctx, tx, EventAppointmentRescheduled, a, func(ev *schedulingv1.AppointmentEvent, p store.Parties) {
			ev.PreviousStartTime = timestamppb.New(previous)
			ev.PreviousStartTimeLocal = domain.LocalTime(previous, entityLocation(p.Entity))
			ev.BookingCode = a.BookingCode
		})
	})
	return a, err
}

// CheckIn re-confirms an appointment at the hospital after cross-verifying the citizen: the subscriber id
// must be the appointment's, and the national id or the booking code must match. A mismatch says no more
// than that, so the endpoint cannot be used to probe which part was wrong.
func (s *Service) CheckIn(ctx context.Context, id, subscriberID, nationalID, bookingCode string) (domain.Appointment, error) {
	if err := checkID("appointment_id", id); err != nil {
		return domain.Appointment{}, err
	}
	if err := domain.Required("subscriber_id", subscriberID); err != nil {
		return domain.Appointment{}, err
	}
	if nationalID == "" && bookingCode == "" {
		return domain.Appointment{}, apierr.Invalid(domain.ReasonInvalidInput, "national_id or booking_code is required",
			apierr.FieldViolation{Field: "booking_code", Description: "give the booking code or the national id"})
	}
	var a domain.Appointment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if a, err = lockBooked(ctx, tx, id); err != nil {
			return err
		}
		p, err := store.AppointmentParties(ctx, tx, a)
		if err != nil {
			return err
		}
		if !verified(a, p.Subscriber, subscriberID, nationalID, bookingCode) {
			return apierr.PermissionDenied(domain.ReasonIdentity, "the citizen's identity does not match this appointment")
		}
		if err := s.checkInOpen(a, p.Entity); err != nil {
			return err
		}
		a.Status = domain.StatusCheckedIn
		if err := store.UpdateAppointment(ctx, tx, a); err != nil {
			return err
		}
		if err := store.CancelReminder(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.addAppointmentEvent(ctx, tx, EventAppointmentCheckedIn, a, nil)
	})
	return a, err
}

// checkInOpens is when check-in for a opens: CheckInOpensBefore before the start (it closes at the end).
func (s *Service) checkInOpens(a domain.Appointment) time.Time {
	return a.Start.Add(-s.opts.CheckInOpensBefore)
}

// checkInOpen refuses a check-in outside its window — from CheckInOpensBefore before the start to the end —
// saying when the window is, in the hospital's own time.
func (s *Service) checkInOpen(a domain.Appointment, e domain.Entity) error {
	opens, now := s.checkInOpens(a), s.now()
	if !now.Before(opens) && now.Before(a.End) {
		return nil
	}
	loc := entityLocation(e)
	return apierr.FailedPrecondition(domain.ReasonCheckInClosed, "check-in for this appointment is open from "+
		domain.LocalTime(opens, loc)+" until "+domain.LocalEnd(opens, a.End, loc)+"; it is "+domain.LocalTime(now, loc)+" now")
}

func verified(a domain.Appointment, sub domain.Subscriber, subscriberID, nationalID, bookingCode string) bool {
	if a.SubscriberID != subscriberID {
		return false
	}
	codeOK := bookingCode != "" && subtle.ConstantTimeCompare([]byte(bookingCode), []byte(a.BookingCode)) == 1
	idOK := nationalID != "" && sub.NationalID != "" && subtle.ConstantTimeCompare([]byte(nationalID), []byte(sub.NationalID)) == 1
	return codeOK || idOK
}

// lockBooked locks an appointment that must still be booked. Someone else's appointment is not found for a
// citizen, checked before its status so that the status of others' appointments does not leak either.
func lockBooked(ctx context.Context, tx pgx.Tx, id string) (domain.Appointment, error) {
	c := callerOf(ctx)
	if err := c.requirePersonalData("appointments"); err != nil {
		return domain.Appointment{}, err
	}
	a, err := store.LockAppointment(ctx, tx, id)
	if err != nil {
		return a, err
	}
	if !c.owns(a.SubscriberID) {
		return domain.Appointment{}, errNoAppointment()
	}
	if a.Status != domain.StatusBooked {
		return a, apierr.FailedPrecondition(domain.ReasonNotActive, "appointment is "+string(a.Status)+", not booked")
	}
	return a, nil
}

// checkID validates a uuid id, so a malformed one is a clear 400 rather than a database error.
func checkID(field, id string) error {
	if err := domain.Required(field, id); err != nil {
		return err
	}
	if _, err := uuid.Parse(id); err != nil {
		return apierr.Invalid(domain.ReasonInvalidInput, field+" is not a valid id", apierr.FieldViolation{Field: field, Description: "must be a UUID"})
	}
	return nil
}
