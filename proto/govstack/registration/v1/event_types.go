package registrationv1

// The events the Registration BB publishes — each also the NATS subject on stream GOVSTACK_REGISTRATION.
// Written by hand next to events.proto; publisher and consumers (Messaging's rules) use these. The account
// events carry single-use activation and reset links for the e-mails: only a client that may act for the
// account holder should subscribe to them.
const (
	EventAccountRegistered         = "govstack.registration.v1.account.registered"
	EventAccountRegistrationRepeat = "govstack.registration.v1.account.registration_attempted"
	EventAccountActivated          = "govstack.registration.v1.account.activated"
	EventAccountLocked             = "govstack.registration.v1.account.locked"
	EventPasswordResetRequested    = "govstack.registration.v1.account.password_reset_requested"
	EventApplicationSubmitted      = "govstack.registration.v1.application.submitted"
	EventApplicationDecided        = "govstack.registration.v1.application.decided"
	EventDomainAccessRequested     = "govstack.registration.v1.domain_access.requested"
	EventDomainAccessDecided       = "govstack.registration.v1.domain_access.decided"
)

// Events are all of them.
var Events = []string{EventAccountRegistered, EventAccountRegistrationRepeat, EventAccountActivated,
	EventAccountLocked, EventPasswordResetRequested, EventApplicationSubmitted, EventApplicationDecided,
	EventDomainAccessRequested, EventDomainAccessDecided}
