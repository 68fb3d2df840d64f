package app

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// maxExceptionDays bounds one leave period (a year): longer ones are almost certainly a typo in the year.
const maxExceptionDays = 366

// AddException records leave or a holiday of a resource.
func (s *Service) AddException(ctx context.Context, resourceID, from, to, reason string) (string, error) {
	if err := staffOnly(ctx, "record leave or holidays"); err != nil {
		return "", err
	}
	if err := domain.Required("resource_id", resourceID); err != nil {
		return "", err
	}
	f, err := domain.ParseTime("from", from)
	if err != nil {
		return "", err
	}
	t, err := domain.ParseTime("to", to)
	if err != nil {
		return "", err
	}
	if !t.After(f) || t.Sub(f).Hours() > 24*maxExceptionDays {
		return "", apierr.Invalid(domain.ReasonInvalidTime, "to must be after from, at most a year later",
			apierr.FieldViolation{Field: "to", Description: "after from, at most 366 days later"})
	}
	if rs, err := store.Resources(ctx, s.pool, store.ResourceFilter{IDs: []string{resourceID}}); err != nil || len(rs) == 0 {
		return "", orNotFound(err, "resource "+resourceID)
	}
	id := uuid.NewString()
	return id, store.InsertException(ctx, s.pool, id, resourceID, domain.Interval{Start: f, End: t}, strings.TrimSpace(reason))
}

// DeleteException removes a leave or holiday period.
func (s *Service) DeleteException(ctx context.Context, id string) error {
	if err := staffOnly(ctx, "delete leave or holidays"); err != nil {
		return err
	}
	if err := checkID("exception_id", id); err != nil {
		return err
	}
	return store.DeleteException(ctx, s.pool, id)
}
