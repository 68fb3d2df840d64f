package registriesv1

// The events the Digital Registries BB publishes — each also the NATS subject on stream GOVSTACK_REGISTRIES,
// each with a RecordChanged payload. Written by hand next to events.proto; publisher and consumers use these.
const (
	EventRecordCreated = "govstack.registries.v1.record.created"
	EventRecordUpdated = "govstack.registries.v1.record.updated"
	EventRecordDeleted = "govstack.registries.v1.record.deleted"
)

// Events are all of them, in the order the catalog lists them.
var Events = []string{EventRecordCreated, EventRecordUpdated, EventRecordDeleted}
