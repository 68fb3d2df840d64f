package app

import (
	"context"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
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
		field := fmt.Sprintf("work_days_hours[%d]", i)
		start, err1 := domain.ParseHHMM(h.Start)
		end, err2 := domain.ParseHHMM(h.End)
		if h.Weekday < 0 || h.Weekday > 6 || err1 != nil || err2 != nil || start >= end {
			return nil, apierr.Invalid(domain.ReasonInvalidInput, field+": weekday 0–6 and start before end, as HH:MM",
				apierr.FieldViolation{Field: field, Description: "weekday 0 (Sunday)–6, start and end HH:MM local, start before end"})
		}
		out = append(out, domain.Hours{Weekday: time.Weekday(h.Weekday), StartMinute: start, EndMinute: end})
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
	err = s.inTx(ctx, func(tx pgx.Tx) error { return store.InsertAffiliation(ctx, tx, a, in.Category) })
	return a, err
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
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := store.UpdateAffiliationCategory(ctx, tx, id, in.Category); err != nil {
			return err
		}
		if len(in.Hours) == 0 {
			return nil
		}
		return store.ReplaceHours(ctx, tx, id, hours)
	})
}

// Affiliations lists affiliations with their categories.
func (s *Service) Affiliations(ctx context.Context, ids []string, resourceID, entityID, category string) ([]domain.Affiliation, []string, error) {
	return store.AffiliationsByID(ctx, s.pool, ids, resourceID, entityID, category)
}
