package app

import (
	"context"
	"sort"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// SlotQuery names whose free slots to list: one resource, or an entity (and optionally a specialty).
type SlotQuery struct {
	ResourceID, EntityID, Specialty string
	From, To                        string // RFC 3339
}

// FreeSlots lists the free future slots matching q in start order.
func (s *Service) FreeSlots(ctx context.Context, q SlotQuery) ([]domain.Slot, error) {
	iv, err := domain.ParseRange(q.From, q.To)
	if err != nil {
		return nil, err
	}
	if q.ResourceID == "" && q.EntityID == "" {
		return nil, apierr.Invalid(domain.ReasonInvalidFilter, "give resource_id, or entity_id (and specialty)",
			apierr.FieldViolation{Field: "resource_id", Description: "resource_id or entity_id is required"})
	}
	if now := s.now(); iv.Start.Before(now) {
		iv.Start = now // past slots cannot be booked, so they are not free
	}
	affs, err := s.store.Affiliations(ctx, AffiliationFilter{ResourceID: q.ResourceID, EntityID: q.EntityID, Specialty: q.Specialty})
	if err != nil || !iv.End.After(iv.Start) {
		return nil, err
	}
	if len(affs) == 0 && q.ResourceID != "" {
		return nil, apierr.NotFound(domain.ReasonNotFound, "resource "+q.ResourceID+" not found or not affiliated to an entity")
	}
	ids := make([]string, 0, len(affs))
	longest := time.Duration(0)
	for _, a := range affs {
		ids = append(ids, a.Resource.ID)
		longest = max(longest, a.Resource.SlotLength())
	}
	// A slot starting just before iv.End ends after it: what is busy past the end matters too.
	busy, err := s.store.Busy(ctx, ids, domain.Interval{Start: iv.Start, End: iv.End.Add(longest)})
	if err != nil {
		return nil, err
	}
	var out []domain.Slot
	for _, a := range affs {
		slots, err := domain.DeriveSlots(a, iv.Start, iv.End, busy[a.Resource.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, slots...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// slotFor finds the affiliation of resourceID (at entityID, when given) on which start is a slot start,
// not in an exception. Whether the slot is free is the exclusion constraint's business. It reads through the
// transaction that will book the slot.
func slotFor(ctx context.Context, tx DirectoryReader, resourceID, entityID string, start time.Time) (domain.Slot, error) {
	affs, err := tx.Affiliations(ctx, AffiliationFilter{ResourceID: resourceID, EntityID: entityID})
	if err != nil {
		return domain.Slot{}, err
	}
	if len(affs) == 0 {
		return domain.Slot{}, apierr.NotFound(domain.ReasonNotFound, "resource "+resourceID+" not found")
	}
	exc, err := tx.Exceptions(ctx, resourceID, domain.Interval{Start: start, End: start.Add(affs[0].Resource.SlotLength())})
	if err != nil {
		return domain.Slot{}, err
	}
	for _, a := range affs {
		slot, ok, err := domain.SlotAt(a, start, exc)
		if err != nil {
			return domain.Slot{}, err
		}
		if ok {
			return slot, nil
		}
	}
	return domain.Slot{}, apierr.Invalid(domain.ReasonNotASlot,
		"start_time is not the start of a slot of "+resourceID+" (outside working hours, off the slot grid, or on leave)",
		apierr.FieldViolation{Field: "start_time", Description: "must be the start of a free slot (see /resource/free_slots)"})
}
