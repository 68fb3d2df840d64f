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

// StreamRegistration is the Registration BB's event stream; migration 0003 ships rules for its account and
// domain-access events.
const StreamRegistration = "GOVSTACK_REGISTRATION"

// The Registration event types the shipped rules (migration 0003) turn into e-mails: activation, "you already
// have an account", password reset, account active, and the domain-access request and decision.
const (
	EventAccountRegistered         = "govstack.registration.v1.account.registered"
	EventAccountRegistrationRepeat = "govstack.registration.v1.account.registration_attempted"
	EventPasswordResetRequested    = "govstack.registration.v1.account.password_reset_requested"
	EventAccountActivated          = "govstack.registration.v1.account.activated"
	EventDomainAccessRequested     = "govstack.registration.v1.domain_access.requested"
	EventDomainAccessDecided       = "govstack.registration.v1.domain_access.decided"
)
