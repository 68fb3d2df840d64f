package domain

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// TimerKind says what a timer fires.
type TimerKind string

// The timer kinds: reminders and alert schedules fire alert.fired, deadlines deadline.reached.
const (
	TimerAppointmentReminder TimerKind = "appointment_reminder"
	TimerAlertSchedule       TimerKind = "alert_schedule"
	TimerDeadline            TimerKind = "deadline"
)

// The subjects of the timers GovStack records set: the timer's reference is the event or alert schedule id.
const (
	SubjectEventDeadline = "event.deadline"
	SubjectAlertSchedule = "alert_schedule"
)

// Recipient is whom a timer's event should reach.
type Recipient struct {
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Timer is a durable timer: it fires once at or after FireAt, unless it is cancelled first.
type Timer struct {
	ID            string
	Kind          TimerKind
	FireAt        time.Time
	AppointmentID string // for reminders
	Subject       string // for deadlines: what is due
	Reference     string // for deadlines: the caller's reference
	Message       string // for alerts: the text
	Recipients    []Recipient
	// Fired and Cancelled are the timer's state; a pending timer has neither.
	Fired, Cancelled bool
}

// Cancel stops a pending timer. Cancelling it again changes nothing; a timer that fired cannot be
// cancelled, and the caller is told so (its event is out).
func (t *Timer) Cancel() error {
	switch {
	case t.Fired:
		return apierr.FailedPrecondition(ReasonDeadlineFired, string(t.Kind)+" has already fired")
	case t.Cancelled:
		return nil
	}
	t.Cancelled = true
	return nil
}

// ReminderLead is how long before an appointment its reminder fires.
const ReminderLead = 24 * time.Hour

// ReminderAt is when the reminder of an appointment starting at start fires. A booking made less than 24 h
// ahead is reminded at once (now): the citizen still gets a reminder, and the Messaging BB's reminder rule
// need not special-case late bookings.
func ReminderAt(start, now time.Time) time.Time {
	if at := start.Add(-ReminderLead); at.After(now) {
		return at
	}
	return now
}

// NewReminder is the reminder timer of a, with id, set at now.
func NewReminder(id string, a Appointment, now time.Time) Timer {
	return Timer{ID: id, Kind: TimerAppointmentReminder, FireAt: ReminderAt(a.Start, now), AppointmentID: a.ID}
}
