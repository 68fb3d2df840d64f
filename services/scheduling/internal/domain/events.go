package domain

import "time"

// Event is a domain event: a fact this BB announces once the change that raised it commits. internal/events
// encodes each one into the published contract (type and protobuf payload); the store adds it to the
// outbox in the transaction of the change.
type Event interface{ domainEvent() }

// AppointmentFacts are what every appointment event tells: the appointment as the change left it, and whom
// and where it concerns.
type AppointmentFacts struct {
	Appointment Appointment
	Parties     Parties
}

// AppointmentBooked is raised by Book.
type AppointmentBooked struct{ AppointmentFacts }

// AppointmentCancelled is raised by Appointment.Cancel.
type AppointmentCancelled struct{ AppointmentFacts }

// AppointmentRescheduled is raised by Appointment.Reschedule; PreviousStart is where it was.
type AppointmentRescheduled struct {
	AppointmentFacts
	PreviousStart time.Time
}

// AppointmentCheckedIn is raised by Appointment.CheckIn.
type AppointmentCheckedIn struct{ AppointmentFacts }

// DocumentAdded is raised by AttachDocument.
type DocumentAdded struct {
	AppointmentFacts
	Document Document
}

// AlertFired is raised when an alert schedule's timer or an appointment reminder fires. Reminder is set
// for a reminder.
type AlertFired struct {
	Timer    Timer
	Reminder *Reminder
}

// Reminder is the appointment a reminder is about.
type Reminder struct{ AppointmentFacts }

// Message is the reminder's text.
func (r Reminder) Message() string {
	return "Reminder: appointment with " + r.Parties.Resource.Name + " at " + r.Parties.Entity.Name
}

// DeadlineReached is raised when a deadline's timer fires.
type DeadlineReached struct{ Timer Timer }

func (AppointmentBooked) domainEvent()      {}
func (AppointmentCancelled) domainEvent()   {}
func (AppointmentRescheduled) domainEvent() {}
func (AppointmentCheckedIn) domainEvent()   {}
func (DocumentAdded) domainEvent()          {}
func (AlertFired) domainEvent()             {}
func (DeadlineReached) domainEvent()        {}
