// Package events is the Digital Registries BB's event contract: it encodes the domain events the BB
// publishes into outbox events — the type (also the NATS subject on stream GOVSTACK_REGISTRIES) and the
// protobuf payload registriesv1.RecordChanged.
package events

import (
	"fmt"

	"github.com/govstackbb/marketplace/platform/outbox"
	"google.golang.org/protobuf/types/known/timestamppb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// Source is the CloudEvents source of every event of this BB.
const Source = "govstack/registries"

var types = map[domain.Change]string{
	domain.RecordCreated: registriesv1.EventRecordCreated,
	domain.RecordUpdated: registriesv1.EventRecordUpdated,
	domain.RecordDeleted: registriesv1.EventRecordDeleted,
}

// Encode turns a record change into the outbox event published for it.
func Encode(c domain.RecordChanged) (outbox.Event, error) {
	typ, ok := types[c.Change]
	if !ok {
		return outbox.Event{}, fmt.Errorf("registries events: no event type for change %d", c.Change)
	}
	return outbox.Event{
		Type: typ, Source: Source, Subject: c.RecordID,
		Payload: &registriesv1.RecordChanged{
			RegistryName: c.Registry, VersionNumber: c.Version, RecordId: c.RecordID,
			PreviousRecordId: c.PreviousRecordID, ChangedFields: c.ChangedFields, ClientId: c.ClientID,
			OccurredAt: timestamppb.New(c.At),
		},
	}, nil
}
