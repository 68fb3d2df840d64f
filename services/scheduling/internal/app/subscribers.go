package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

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
	return sub, s.store.InsertSubscriber(ctx, sub)
}

// ModifySubscriber changes the non-empty fields of patch; another's record is not found for a citizen.
func (s *Service) ModifySubscriber(ctx context.Context, id string, patch domain.Subscriber) (domain.Subscriber, error) {
	if err := s.mayChangeSubscriber(ctx, id); err != nil {
		return domain.Subscriber{}, err
	}
	var sub domain.Subscriber
	err := s.store.UpdateSubscriber(ctx, id, func(stored *domain.Subscriber) error {
		stored.Patch(patch)
		sub = *stored
		return domain.CheckSubscriber(sub)
	})
	return sub, err
}

// DeleteSubscriber deletes a subscriber record; a citizen only their own (another's is not found).
func (s *Service) DeleteSubscriber(ctx context.Context, id string) error {
	if err := s.mayChangeSubscriber(ctx, id); err != nil {
		return err
	}
	return s.store.DeleteSubscriber(ctx, id)
}

// mayChangeSubscriber requires the id and the caller's right to the subscriber's record: personal data, and
// for a citizen their own.
func (s *Service) mayChangeSubscriber(ctx context.Context, id string) error {
	if err := domain.Required("subscriber_id", id); err != nil {
		return err
	}
	c := callerOf(ctx)
	if err := c.requirePersonalData("subscriber records"); err != nil {
		return err
	}
	if !c.owns(id) {
		return errNoSubscriber(id)
	}
	return nil
}

// Subscribers lists subscribers; a citizen only their own record.
func (s *Service) Subscribers(ctx context.Context, f SubscriberFilter) ([]domain.Subscriber, error) {
	c := callerOf(ctx)
	if err := c.requirePersonalData("subscriber records"); err != nil {
		return nil, err
	}
	var mine bool
	if f.IDs, mine = c.ownSubscriberIDs(f.IDs); !mine {
		return nil, nil
	}
	return s.store.Subscribers(ctx, f)
}
