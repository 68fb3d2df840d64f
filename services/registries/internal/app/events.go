package app

import (
	"time"

	"github.com/govstackbb/marketplace/platform/outbox"
	"google.golang.org/protobuf/types/known/timestamppb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// The events this BB publishes (the catalogue, in one place). Each is also the NATS subject, on stream
// GOVSTACK_REGISTRIES; the payload is registriesv1.RecordChanged.
const (
	EventRecordCreated = registriesv1.EventRecordCreated
	EventRecordUpdated = registriesv1.EventRecordUpdated
	EventRecordDeleted = registriesv1.EventRecordDeleted
)

// EventSource is the CloudEvents source of every event of this BB.
const EventSource = "govstack/registries"

// recordEvent describes a change of one record. It carries no content: personal data stays in the
// registry, where reading it is logged.
func recordEvent(eventType string, r domain.Registry, key recordKey, changed []string, client string,
	at time.Time) outbox.Event {
	return outbox.Event{
		Type:    eventType,
		Source:  EventSource,
		Subject: key.id,
		Payload: &registriesv1.RecordChanged{
			RegistryName: r.Name, VersionNumber: r.Version, RecordId: key.id, PreviousRecordId: key.previous,
			ChangedFields: changed, ClientId: client, OccurredAt: timestamppb.New(at),
		},
	}
}

// recordKey is the primary key an event is about, and the one it had before when an update changed it.
type recordKey struct{ id, previous string }
