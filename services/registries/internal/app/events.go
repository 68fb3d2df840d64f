package app

import (
	"time"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// recordEvent describes a change of one record (internal/events publishes it).
func recordEvent(change domain.Change, r domain.Registry, key recordKey, changed []string, client string,
	at time.Time) domain.RecordChanged {
	return domain.RecordChanged{Change: change, Registry: r.Name, Version: r.Version, RecordID: key.id,
		PreviousRecordID: key.previous, ChangedFields: changed, ClientID: client, At: at}
}

// recordKey is the primary key an event is about, and the one it had before when an update changed it.
type recordKey struct{ id, previous string }
