package app

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

func orNewID(id string) string {
	if strings.TrimSpace(id) == "" {
		return uuid.NewString()
	}
	return strings.TrimSpace(id)
}

func checkEntity(e domain.Entity) error {
	if err := domain.Required("name", e.Name); err != nil {
		return err
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "" || e.TimeZone == "Local" {
		return apierr.Invalid(domain.ReasonUnknownTimeZone, "time_zone "+e.TimeZone+" is not an IANA time zone name",
			apierr.FieldViolation{Field: "time_zone", Description: "an IANA name such as Europe/Tallinn"})
	}
	return nil
}

// CreateEntity stores a new entity (time zone UTC when not given).
func (s *Service) CreateEntity(ctx context.Context, e domain.Entity) (domain.Entity, error) {
	if err := staffOnly(ctx, "create entities"); err != nil {
		return e, err
	}
	e.ID = orNewID(e.ID)
	if e.TimeZone == "" {
		e.TimeZone = "UTC"
	}
	if err := checkEntity(e); err != nil {
		return e, err
	}
	return e, store.InsertEntity(ctx, s.pool, e)
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		es, err := store.Entities(ctx, tx, store.EntityFilter{IDs: []string{id}})
		if err != nil || len(es) == 0 {
			return orNotFound(err, "entity "+id)
		}
		e = es[0]
		merge(&e.Name, patch.Name)
		merge(&e.Category, patch.Category)
		merge(&e.City, patch.City)
		merge(&e.TimeZone, patch.TimeZone)
		merge(&e.Email, patch.Email)
		merge(&e.Phone, patch.Phone)
		merge(&e.Website, patch.Website)
		if err := checkEntity(e); err != nil {
			return err
		}
		return store.UpdateEntity(ctx, tx, e)
	})
	return e, err
}

func checkResource(r domain.Resource) error {
	if err := domain.Required("name", r.Name); err != nil {
		return err
	}
	if r.SlotMinutes < 5 || r.SlotMinutes > 480 {
		return apierr.Invalid(domain.ReasonInvalidInput, "slot_minutes must be between 5 and 480",
			apierr.FieldViolation{Field: "slot_minutes", Description: "between 5 and 480"})
	}
	return nil
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
	if err := checkResource(r); err != nil {
		return r, err
	}
	return r, store.InsertResource(ctx, s.pool, r)
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rs, err := store.Resources(ctx, tx, store.ResourceFilter{IDs: []string{id}})
		if err != nil || len(rs) == 0 {
			return orNotFound(err, "resource "+id)
		}
		r = rs[0]
		merge(&r.Name, patch.Name)
		merge(&r.Category, patch.Category)
		merge(&r.Specialty, patch.Specialty)
		merge(&r.Email, patch.Email)
		merge(&r.Phone, patch.Phone)
		if patch.SlotMinutes != 0 {
			r.SlotMinutes = patch.SlotMinutes
		}
		if err := checkResource(r); err != nil {
			return err
		}
		return store.UpdateResource(ctx, tx, r)
	})
	return r, err
}

// CreateSubscriber stores a new subscriber; a citizen only their own record (under their account id).
func (s *Service) CreateSubscriber(ctx context.Context, sub domain.Subscriber) (domain.Subscriber, error) {
	if c := callerOf(ctx); c.citizen {
		if sub.ID != "" && sub.ID != c.claims.Subject {
			return sub, apierr.PermissionDenied(domain.ReasonPermissionDenied, "a citizen can create only their own subscriber record")
		}
		sub.ID = c.claims.Subject
	}
	sub.ID = orNewID(sub.ID)
	if err := domain.CheckSubscriber(sub); err != nil {
		return sub, err
	}
	return sub, store.InsertSubscriber(ctx, s.pool, sub)
}

// ModifySubscriber changes the non-empty fields of patch; another's record is not found for a citizen.
func (s *Service) ModifySubscriber(ctx context.Context, id string, patch domain.Subscriber) (domain.Subscriber, error) {
	if err := domain.Required("subscriber_id", id); err != nil {
		return domain.Subscriber{}, err
	}
	c := callerOf(ctx)
	if err := c.requirePersonalData("subscriber records"); err != nil {
		return domain.Subscriber{}, err
	}
	if !c.owns(id) {
		return domain.Subscriber{}, errNoSubscriber(id)
	}
	var sub domain.Subscriber
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if sub, err = store.ReadSubscriber(ctx, tx, id); err != nil {
			return err
		}
		merge(&sub.Name, patch.Name)
		merge(&sub.Email, patch.Email)
		merge(&sub.Phone, patch.Phone)
		merge(&sub.Category, patch.Category)
		merge(&sub.NationalID, patch.NationalID)
		if err := domain.CheckSubscriber(sub); err != nil {
			return err
		}
		return store.UpdateSubscriber(ctx, tx, sub)
	})
	return sub, err
}

// Subscribers lists subscribers; a citizen only their own record.
func (s *Service) Subscribers(ctx context.Context, f store.SubscriberFilter) ([]domain.Subscriber, error) {
	c := callerOf(ctx)
	if err := c.requirePersonalData("subscriber records"); err != nil {
		return nil, err
	}
	var mine bool
	if f.IDs, mine = c.ownSubscriberIDs(f.IDs); !mine {
		return nil, nil
	}
	return store.Subscribers(ctx, s.pool, f)
}

// Delete deletes an entity, resource, subscriber or affiliation by id. A citizen may delete only their own
// subscriber record (another's is not found), nothing of the directory.
func (s *Service) Delete(ctx context.Context, table, field, id string) error {
	if err := domain.Required(field, id); err != nil {
		return err
	}
	if table != "subscriber" {
		if err := staffOnly(ctx, "delete "+table+" records"); err != nil {
			return err
		}
		return store.DeleteRow(ctx, s.pool, table, id)
	}
	c := callerOf(ctx)
	if err := c.requirePersonalData("subscriber records"); err != nil {
		return err
	}
	if !c.owns(id) {
		return errNoSubscriber(id)
	}
	return store.DeleteRow(ctx, s.pool, table, id)
}

func merge(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func orNotFound(err error, what string) error {
	if err != nil {
		return err
	}
	return apierr.NotFound(domain.ReasonNotFound, what+" not found")
}
