package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// DeleteRecord removes the record with primary key id.
func (s *Service) DeleteRecord(ctx context.Context, t Target, id string) error {
	if id == "" {
		return domain.ErrMissing("id")
	}
	r, err := s.registry(ctx, t)
	if err != nil {
		return err
	}
	ev := recordEvent(domain.RecordDeleted, r, recordKey{id: id}, nil, clientID(ctx), s.now())
	return s.store.DeleteRecord(ctx, r.ID, id, ev)
}
