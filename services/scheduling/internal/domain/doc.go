// Package domain is the Scheduling model: entities, resources, working hours, slots, appointments, timers
// and GovStack's records, with the rules that need no database — the appointment's state machine (Book,
// Cancel, Reschedule, CheckIn) and the domain events its transitions raise, the timers' cancel, and the
// parsers of what callers send. It imports the standard library, platform/apierr and google/uuid only.
package domain
