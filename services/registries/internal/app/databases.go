package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// ListDatabases returns every registry version.
func (s *Service) ListDatabases(ctx context.Context) ([]domain.Registry, error) {
	return s.store.ListRegistries(ctx)
}

// GetDatabase returns one registry version with its schema.
func (s *Service) GetDatabase(ctx context.Context, id int64) (domain.Registry, error) {
	stored, ok := domain.StoredRegistryID(id)
	if !ok {
		return domain.Registry{}, domain.ErrRegistryNotFound()
	}
	return s.store.RegistryByID(ctx, stored)
}

// DeleteDatabase removes a registry version and its records.
func (s *Service) DeleteDatabase(ctx context.Context, id int64) error {
	stored, ok := domain.StoredRegistryID(id)
	if !ok {
		return domain.ErrRegistryNotFound()
	}
	return s.store.DeleteRegistry(ctx, stored)
}

// ModifyDatabase creates a registry version, or replaces the schema of an existing one. A replaced schema
// must accept every record already stored and keep the primary key; otherwise the caller must publish a
// new version, as GovStack's versioning intends (old data stays usable under the old version).
func (s *Service) ModifyDatabase(ctx context.Context, d domain.RegistryDraft) (domain.Registry, bool, error) {
	r, err := domain.NewRegistry(d, clientID(ctx), s.now())
	if err != nil {
		return domain.Registry{}, false, err
	}
	sch, err := CompileSchema(r.Schema)
	if err != nil {
		return domain.Registry{}, false, err
	}
	return s.store.SaveRegistry(ctx, r, func(old domain.Registry, rec domain.Record) error {
		if old.PrimaryKey != r.PrimaryKey {
			return apierr.FailedPrecondition(domain.ReasonInvalidSchema,
				"the primary key of a version with records cannot change; create a new version")
		}
		if err := Validate(sch, rec.Content); err != nil {
			e, _ := apierr.As(err)
			return apierr.Invalid(domain.ReasonSchemaViolation,
				"a stored record does not satisfy the new schema; create a new version instead", e.Violations...)
		}
		return nil
	})
}
