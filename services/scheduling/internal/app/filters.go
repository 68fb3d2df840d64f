package app

import (
	"time"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// The filters of the lists; empty fields match all.

// AffiliationFilter picks affiliations to derive slots from: by resource, or by entity and specialty.
type AffiliationFilter struct {
	ResourceID, EntityID, Specialty string
}

// AffiliationListFilter is GovStack's affiliation filter.
type AffiliationListFilter struct {
	IDs                            []string
	ResourceID, EntityID, Category string
}

// EntityFilter is GovStack's entity_filter plus city.
type EntityFilter struct {
	IDs                  []string
	Category, Name, City string
}

// ResourceFilter is GovStack's resource_filter plus specialty and entity.
type ResourceFilter struct {
	IDs                                 []string
	Category, Name, Specialty, EntityID string
}

// SubscriberFilter is GovStack's subscriber_filter.
type SubscriberFilter struct {
	IDs                          []string
	Category, Name, Email, Phone string
}

// AppointmentFilter is GovStack's appointment_filter.
type AppointmentFilter struct {
	ID, SubscriberID, EntityID, ResourceID string
	Status                                 domain.Status
	From, To                               time.Time // zero = open
	// After continues a list after this appointment (nil: from the first); Limit is how many to read.
	After *domain.AppointmentCursor
	Limit int
}

// RecordFilter picks records of one kind.
type RecordFilter struct {
	IDs                      []string
	EntityID, Category, Name string
	From, To                 *time.Time // nil = open
}
