package messaging

// StreamScheduling is the Scheduling BB's event stream, which the shipped notification rules listen to.
const StreamScheduling = "GOVSTACK_SCHEDULING"

// The Scheduling event types the shipped rules (migration 0002) turn into e-mails.
const (
	EventAppointmentBooked      = "govstack.scheduling.v1.appointment.booked"
	EventAppointmentCancelled   = "govstack.scheduling.v1.appointment.cancelled"
	EventAppointmentRescheduled = "govstack.scheduling.v1.appointment.rescheduled"
	EventAlertFired             = "govstack.scheduling.v1.alert.fired"
)
