package schedulingv1

// The events the Scheduling BB publishes — each also the NATS subject on stream GOVSTACK_SCHEDULING. Written
// by hand next to events.proto; publisher and consumers (Messaging's rules) use these.
const (
	EventAppointmentBooked      = "govstack.scheduling.v1.appointment.booked"
	EventAppointmentCancelled   = "govstack.scheduling.v1.appointment.cancelled"
	EventAppointmentRescheduled = "govstack.scheduling.v1.appointment.rescheduled"
	EventAppointmentCheckedIn   = "govstack.scheduling.v1.appointment.checked_in"
	// EventAppointmentDocumentAdded: a document (a prescription) was attached to an appointment.
	EventAppointmentDocumentAdded = "govstack.scheduling.v1.appointment.document_added"
	EventAlertFired               = "govstack.scheduling.v1.alert.fired"
	EventDeadlineReached          = "govstack.scheduling.v1.deadline.reached"
)

// Events are all of them.
var Events = []string{EventAppointmentBooked, EventAppointmentCancelled, EventAppointmentRescheduled,
	EventAppointmentCheckedIn, EventAppointmentDocumentAdded, EventAlertFired, EventDeadlineReached}
