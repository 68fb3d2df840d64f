package app

import (
	"context"
	"maps"
	"slices"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// CreateRecord stores a new record after validating it against the registry version's schema. A record
// without a primary key gets a generated UUID.
func (s *Service) CreateRecord(ctx context.Context, t Target, content map[string]any) (domain.Record, error) {
	if content == nil {
		return domain.Record{}, domain.ErrMissing("write.content")
	}
	r, err := s.registry(ctx, t)
	if err != nil {
		return domain.Record{}, err
	}
	sch, err := s.schemas.For(r)
	if err != nil {
		return domain.Record{}, err
	}
	rec, ev, err := s.create(ctx, r, sch, content)
	if err != nil {
		return domain.Record{}, err
	}
	if err := s.store.InsertRecord(ctx, r.ID, rec, ev); err != nil {
		return domain.Record{}, err
	}
	return rec, nil
}

func fieldsOf(content map[string]any) []string {
	return slices.Sorted(maps.Keys(content))
}
