// Package app holds the Digital Registries use cases: the data API (records of a registry version), the
// database API (the registries themselves) and the personal data usage report. The stores it needs are
// declared here as interfaces; internal/store implements them on Postgres.
package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// RegistryStore keeps registry versions.
type RegistryStore interface {
	RegistryByName(ctx context.Context, name, version string) (domain.Registry, error)
	RegistryByID(ctx context.Context, id int32) (domain.Registry, error)
	ListRegistries(ctx context.Context) ([]domain.Registry, error)
	// SaveRegistry creates or replaces r; on replace verify sees every stored record and may veto.
	SaveRegistry(ctx context.Context, r domain.Registry,
		verify func(old domain.Registry, rec domain.Record) error) (domain.Registry, bool, error)
	DeleteRegistry(ctx context.Context, id int32) error
}

// RecordStore keeps records. Every write takes the events to publish with it (transactional outbox).
type RecordStore interface {
	InsertRecord(ctx context.Context, registryID int32, rec domain.Record, events ...domain.RecordChanged) error
	RecordByID(ctx context.Context, registryID int32, id string) (domain.Record, error)
	FindRecords(ctx context.Context, registryID int32, sel domain.Selector, limit int) ([]domain.Record, error)
	ListRecords(ctx context.Context, registryID int32, q domain.ListQuery) ([]domain.Record, int, error)
	// MutateRecords locks the matching records; fn returns what to write (found records are updated,
	// others inserted) and the events; all in one transaction.
	MutateRecords(ctx context.Context, registryID int32, sel domain.Selector, limit int,
		fn func(found []domain.Record) ([]domain.Record, []domain.RecordChanged, error)) error
	DeleteRecord(ctx context.Context, registryID int32, id string, events ...domain.RecordChanged) error
}

// UsageStore keeps the personal data usage log.
type UsageStore interface {
	InsertUsages(ctx context.Context, usages []domain.Usage) error
	ListUsages(ctx context.Context, personID, name, version string) ([]domain.Usage, error)
}

// Store is everything the use cases persist.
type Store interface {
	RegistryStore
	RecordStore
	UsageStore
}

// Service runs the use cases.
type Service struct {
	store   Store
	schemas *SchemaCache
	now     func() time.Time
	newID   func() string
}

// New returns a Service on store.
func New(store Store) *Service {
	return &Service{store: store, schemas: NewSchemaCache(), now: time.Now,
		newID: func() string { return uuid.NewString() }}
}

// Target names a registry version in the data API: /data/{Name}/{Version}.
type Target struct{ Name, Version string }

// registry validates t and loads the registry version it names.
func (s *Service) registry(ctx context.Context, t Target) (domain.Registry, error) {
	if err := domain.ValidateRegistryName(t.Name); err != nil {
		return domain.Registry{}, err
	}
	if err := domain.ValidateVersion(t.Version); err != nil {
		return domain.Registry{}, err
	}
	return s.store.RegistryByName(ctx, t.Name, t.Version)
}

// path is the data API path of r, the base of list page links.
func path(r domain.Registry) string { return "/data/" + r.Name + "/" + r.Version }
