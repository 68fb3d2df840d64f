package domain

import (
	"crypto/subtle"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Status is an appointment's state.
type Status string

// The appointment states; only booked and checked-in appointments hold their slot. booked is the only state
// an appointment leaves: to cancelled (Cancel) or checked_in (CheckIn); Reschedule keeps it booked.
const (
	StatusBooked    Status = "booked"
	StatusCheckedIn Status = "checked_in"
	StatusCancelled Status = "cancelled"
)

// Appointment is a booked slot of a resource.
type Appointment struct {
	ID, ResourceID, EntityID, SubscriberID string
	Start, End                             time.Time
	Status                                 Status
	BookingCode, Reason                    string
}

// Parties are the people and places of an appointment: whom its events name and reach.
type Parties struct {
	Subscriber Subscriber
	Resource   Resource
	Entity     Entity
}

// Book makes a booked appointment of slot for sub with a fresh booking code, and the event that announces
// it: the slot names the resource and the entity, sub the subscriber.
func Book(id string, slot Slot, sub Subscriber, reason string) (Appointment, AppointmentBooked) {
	a := Appointment{ID: id, ResourceID: slot.Resource.ID, EntityID: slot.Entity.ID, SubscriberID: sub.ID,
		Start: slot.Start, End: slot.End, Status: StatusBooked, BookingCode: NewBookingCode(), Reason: reason}
	return a, AppointmentBooked{AppointmentFacts{a, Parties{Subscriber: sub, Resource: slot.Resource, Entity: slot.Entity}}}
}

// RequireBooked refuses a change of an appointment that is no longer booked (cancelled or checked in).
func (a Appointment) RequireBooked() error {
	if a.Status != StatusBooked {
		return apierr.FailedPrecondition(ReasonNotActive, "appointment is "+string(a.Status)+", not booked")
	}
	return nil
}

// Cancel frees the appointment's slot, keeping the appointment with reason for the record.
func (a *Appointment) Cancel(reason string, p Parties) (AppointmentCancelled, error) {
	if err := a.RequireBooked(); err != nil {
		return AppointmentCancelled{}, err
	}
	a.Status, a.Reason = StatusCancelled, reason
	return AppointmentCancelled{AppointmentFacts{*a, p}}, nil
}

// Reschedule moves the appointment to slot, which must be of its resource at its entity.
func (a *Appointment) Reschedule(slot Slot, p Parties) (AppointmentRescheduled, error) {
	if err := a.RequireBooked(); err != nil {
		return AppointmentRescheduled{}, err
	}
	if slot.Resource.ID != a.ResourceID || slot.Entity.ID != a.EntityID {
		return AppointmentRescheduled{}, apierr.Invalid(ReasonNotASlot, "an appointment moves only to another slot of its resource at its entity",
			apierr.FieldViolation{Field: "start_time", Description: "must be a slot of the appointment's resource and entity"})
	}
	previous := a.Start
	a.Start, a.End = slot.Start, slot.End
	return AppointmentRescheduled{AppointmentFacts: AppointmentFacts{*a, p}, PreviousStart: previous}, nil
}

// CheckInClaim is what a citizen at the desk says: who they are, and their national id or booking code.
type CheckInClaim struct {
	SubscriberID, NationalID, BookingCode string
}

// Check requires the subscriber id and one of the national id and the booking code.
func (c CheckInClaim) Check() error {
	if err := Required("subscriber_id", c.SubscriberID); err != nil {
		return err
	}
	if c.NationalID == "" && c.BookingCode == "" {
		return apierr.Invalid(ReasonInvalidInput, "national_id or booking_code is required",
			apierr.FieldViolation{Field: "booking_code", Description: "give the booking code or the national id"})
	}
	return nil
}

// matches cross-verifies the claim: the subscriber must be the appointment's, and the booking code or the
// national id p has on record must match. Constant-time, so the comparison does not leak how much matched.
func (c CheckInClaim) matches(a Appointment, p Parties) bool {
	if a.SubscriberID != c.SubscriberID {
		return false
	}
	codeOK := c.BookingCode != "" && subtle.ConstantTimeCompare([]byte(c.BookingCode), []byte(a.BookingCode)) == 1
	nid := p.Subscriber.NationalID
	idOK := c.NationalID != "" && nid != "" && subtle.ConstantTimeCompare([]byte(c.NationalID), []byte(nid)) == 1
	return codeOK || idOK
}

// CheckIn re-confirms the appointment at the hospital: the claim must match, and it must be within w at now.
// A mismatch says no more than that, so the endpoint cannot be used to probe which part was wrong.
func (a *Appointment) CheckIn(c CheckInClaim, p Parties, w CheckInWindow, now time.Time) (AppointmentCheckedIn, error) {
	if err := a.RequireBooked(); err != nil {
		return AppointmentCheckedIn{}, err
	}
	if !c.matches(*a, p) {
		return AppointmentCheckedIn{}, apierr.PermissionDenied(ReasonIdentity, "the citizen's identity does not match this appointment")
	}
	if err := w.check(*a, p.Entity, now); err != nil {
		return AppointmentCheckedIn{}, err
	}
	a.Status = StatusCheckedIn
	return AppointmentCheckedIn{AppointmentFacts{*a, p}}, nil
}

// DefaultCheckInOpensBefore is how long before the start check-in opens when a deployment does not say.
const DefaultCheckInOpensBefore = 2 * time.Hour

// CheckInWindow is when check-in is accepted: from OpensBefore before an appointment's start
// (DefaultCheckInOpensBefore when not positive) until its end.
type CheckInWindow struct{ OpensBefore time.Duration }

// Opens is when check-in for a opens.
func (w CheckInWindow) Opens(a Appointment) time.Time {
	before := w.OpensBefore
	if before <= 0 {
		before = DefaultCheckInOpensBefore
	}
	return a.Start.Add(-before)
}

// check refuses a check-in outside the window, saying when the window is, in the hospital's own time.
func (w CheckInWindow) check(a Appointment, e Entity, now time.Time) error {
	opens := w.Opens(a)
	if !now.Before(opens) && now.Before(a.End) {
		return nil
	}
	loc := e.LocationOrUTC()
	return apierr.FailedPrecondition(ReasonCheckInClosed, "check-in for this appointment is open from "+
		LocalTime(opens, loc)+" until "+LocalEnd(opens, a.End, loc)+"; it is "+LocalTime(now, loc)+" now")
}

// Remindable says whether a's reminder should still go out: not once it is cancelled or checked in.
func (a Appointment) Remindable() bool { return a.Status == StatusBooked }
