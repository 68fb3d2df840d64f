package app

import "github.com/govstackbb/marketplace/platform/natsbus"

// The event types (also the NATS subjects) this BB publishes on stream GOVSTACK_REGISTRATION. Account
// events carry registrationv1.AccountEvent, application events ApplicationEvent, domain-access events
// DomainAccessEvent. Messaging's notification rules read them (services/messaging/migrations).
var (
	EventAccountRegistered         = natsbus.Subject(BB, "account", "registered")
	EventAccountRegistrationRepeat = natsbus.Subject(BB, "account", "registration_attempted")
	EventAccountActivated          = natsbus.Subject(BB, "account", "activated")
	EventAccountLocked             = natsbus.Subject(BB, "account", "locked")
	EventPasswordResetRequested    = natsbus.Subject(BB, "account", "password_reset_requested")
	EventApplicationSubmitted      = natsbus.Subject(BB, "application", "submitted")
	EventApplicationDecided        = natsbus.Subject(BB, "application", "decided")
	EventDomainAccessRequested     = natsbus.Subject(BB, "domain_access", "requested")
	EventDomainAccessDecided       = natsbus.Subject(BB, "domain_access", "decided")
)
