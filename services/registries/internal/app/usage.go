package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// ListPersonalDataUsage returns who read the records of person userID in the registry databaseID (its
// code — GovStack's "database acronym" — or its name, for every version, or "name/version"), newest first.
func (s *Service) ListPersonalDataUsage(ctx context.Context, userID, databaseID string) ([]domain.Usage, error) {
	if userID == "" {
		return nil, domain.ErrMissing("userId")
	}
	name, version, err := domain.ParseDatabaseID(databaseID)
	if err != nil {
		return nil, err
	}
	return s.store.ListUsages(ctx, userID, name, version)
}
