package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// HoursInput is one weekday's working time as the API gives it ("HH:MM" local).
type HoursInput struct {
	Weekday    int
	Start, End string
}

// AffiliationInput is a resource's affiliation to an entity with its working hours.
type AffiliationInput struct {
	ID, ResourceID, EntityID, Category string
	Hours                              []HoursInput
}

func parseHours(in []HoursInput) ([]domain.Hours, error) {
	out := make([]domain.Hours, 0, len(in))
	for i, h := range in {
		hours, err := domain.ParseHours(i, h.Weekday, h.Start, h.End)
		if err != nil {
			return nil, err
		}
		out = append(out, hours)
	}
	return out, nil
}

// CreateAffiliation ties a resource to an entity with working hours.
func (s *Service) CreateAffiliation(ctx context.Context, in AffiliationInput) (domain.Affiliation, error) {
	if err := staffOnly(ctx, "create affiliations"); err != nil {
		return domain.Affiliation{}, err
	}
	for f, v := range map[string]string{"resource_id": in.ResourceID, "entity_id": in.EntityID} {
		if err := domain.Required(f, v); err != nil {
			return domain.Affiliation{}, err
		}
	}
	hours, err := parseHours(in.Hours)
	if err != nil {
		return domain.Affiliation{}, err
	}
	a := domain.Affiliation{ID: orNewID(in.ID), Resource: domain.Resource{ID: in.ResourceID}, Entity: domain.Entity{ID: in.EntityID}, Hours: hours}
	return a, s.store.InsertAffiliation(ctx, a, in.Category)
}

// ModifyAffiliation replaces the working hours (when given) and category of an affiliation.
func (s *Service) ModifyAffiliation(ctx context.Context, id string, in AffiliationInput) error {
	if err := staffOnly(ctx, "modify affiliations"); err != nil {
		return err
	}
	if err := domain.Required("affiliation_id", id); err != nil {
		return err
	}
	hours, err := parseHours(in.Hours)
	if err != nil {
		return err
	}
	if len(in.Hours) == 0 {
		hours = nil // keep the stored hours
	}
	return s.store.UpdateAffiliation(ctx, id, in.Category, hours)
}

// DeleteAffiliation deletes an affiliation with its working hours.
func (s *Service) DeleteAffiliation(ctx context.Context, id string) error {
	if err := staffDeletes(ctx, "affiliation", id); err != nil {
		return err
	}
	return s.store.DeleteAffiliation(ctx, id)
}

// Affiliations lists affiliations with their categories (in step).
func (s *Service) Affiliations(ctx context.Context, f AffiliationListFilter) ([]domain.Affiliation, []string, error) {
	return s.store.AffiliationsByID(ctx, f)
}
