package app

import (
	"context"
	"strings"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// AddException records leave or a holiday of a resource.
func (s *Service) AddException(ctx context.Context, resourceID, from, to, reason string) (string, error) {
	if err := staffOnly(ctx, "record leave or holidays"); err != nil {
		return "", err
	}
	if err := domain.Required("resource_id", resourceID); err != nil {
		return "", err
	}
	iv, err := domain.ParseLeave(from, to)
	if err != nil {
		return "", err
	}
	if rs, err := s.store.Resources(ctx, ResourceFilter{IDs: []string{resourceID}}); err != nil || len(rs) == 0 {
		return "", orNotFound(err, "resource "+resourceID)
	}
	id := newID()
	return id, s.store.InsertException(ctx, id, resourceID, iv, strings.TrimSpace(reason))
}

// DeleteException removes a leave or holiday period.
func (s *Service) DeleteException(ctx context.Context, id string) error {
	if err := staffOnly(ctx, "delete leave or holidays"); err != nil {
		return err
	}
	if err := domain.CheckID("exception_id", id); err != nil {
		return err
	}
	return s.store.DeleteException(ctx, id)
}
