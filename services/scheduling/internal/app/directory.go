package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// CreateEntity stores a new entity (time zone UTC when not given).
func (s *Service) CreateEntity(ctx context.Context, e domain.Entity) (domain.Entity, error) {
	if err := staffOnly(ctx, "create entities"); err != nil {
		return e, err
	}
	e.ID = orNewID(e.ID)
	if e.TimeZone == "" {
		e.TimeZone = "UTC"
	}
	if err := e.Check(); err != nil {
		return e, err
	}
	return e, s.store.InsertEntity(ctx, e)
}

// ModifyEntity changes the non-empty fields of patch.
func (s *Service) ModifyEntity(ctx context.Context, id string, patch domain.Entity) (domain.Entity, error) {
	if err := staffOnly(ctx, "modify entities"); err != nil {
		return domain.Entity{}, err
	}
	if err := domain.Required("entity_id", id); err != nil {
		return domain.Entity{}, err
	}
	var e domain.Entity
	err := s.store.UpdateEntity(ctx, id, func(stored *domain.Entity) error {
		stored.Patch(patch)
		e = *stored
		return stored.Check()
	})
	return e, err
}

// DeleteEntity deletes an entity with its affiliations; one with appointments cannot be deleted.
func (s *Service) DeleteEntity(ctx context.Context, id string) error {
	if err := staffDeletes(ctx, "entity", id); err != nil {
		return err
	}
	return s.store.DeleteEntity(ctx, id)
}

// CreateResource stores a new resource (20-minute slots when not given).
func (s *Service) CreateResource(ctx context.Context, r domain.Resource) (domain.Resource, error) {
	if err := staffOnly(ctx, "create resources"); err != nil {
		return r, err
	}
	r.ID = orNewID(r.ID)
	if r.SlotMinutes == 0 {
		r.SlotMinutes = 20
	}
	if err := r.Check(); err != nil {
		return r, err
	}
	return r, s.store.InsertResource(ctx, r)
}

// ModifyResource changes the non-empty fields of patch.
func (s *Service) ModifyResource(ctx context.Context, id string, patch domain.Resource) (domain.Resource, error) {
	if err := staffOnly(ctx, "modify resources"); err != nil {
		return domain.Resource{}, err
	}
	if err := domain.Required("resource_id", id); err != nil {
		return domain.Resource{}, err
	}
	var r domain.Resource
	err := s.store.UpdateResource(ctx, id, func(stored *domain.Resource) error {
		stored.Patch(patch)
		r = *stored
		return stored.Check()
	})
	return r, err
}

// DeleteResource deletes a resource with its affiliations and leave; one with appointments cannot be deleted.
func (s *Service) DeleteResource(ctx context.Context, id string) error {
	if err := staffDeletes(ctx, "resource", id); err != nil {
		return err
	}
	return s.store.DeleteResource(ctx, id)
}

// staffDeletes checks a delete of the directory: the id is required, and a citizen may delete none of it.
func staffDeletes(ctx context.Context, what, id string) error {
	if err := domain.Required(what+"_id", id); err != nil {
		return err
	}
	return staffOnly(ctx, "delete "+what+" records")
}

// Entities lists entities.
func (s *Service) Entities(ctx context.Context, f EntityFilter) ([]domain.Entity, error) {
	return s.store.Entities(ctx, f)
}

// Resources lists resources.
func (s *Service) Resources(ctx context.Context, f ResourceFilter) ([]domain.Resource, error) {
	return s.store.Resources(ctx, f)
}

func orNotFound(err error, what string) error {
	if err != nil {
		return err
	}
	return apierr.NotFound(domain.ReasonNotFound, what+" not found")
}
