// Package events is the Payments BB's event contract: it encodes the domain events the use cases publish
// into outbox events (type constants from proto/govstack/payments/v1/event_types.go, protobuf payloads).
package events

import (
	"fmt"

	"github.com/govstackbb/marketplace/platform/outbox"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Source is the CloudEvents source of every event Payments publishes.
const Source = "govstack/payments"

// Encode turns one domain event into the outbox event Payments publishes.
func Encode(e domain.Event) (outbox.Event, error) {
	return outbox.Event{}, fmt.Errorf("events: no encoding for %T", e)
}
