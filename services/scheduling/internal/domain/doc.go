// Package domain is the Scheduling model: entities, resources, working hours, slots, appointments and
// timers, with the rules that need no database. It imports no gRPC, pgx or NATS.
package domain
