package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// AppointmentQuery is GovStack's appointment_filter, times as RFC 3339 strings.
type AppointmentQuery struct {
	ID, SubscriberID, EntityID, ResourceID, Status, From, To string
}

// Appointments lists appointments matching q; bad filters are InvalidArgument naming the field. A citizen
// sees only their own: a filter for another subscriber finds nothing.
func (s *Service) Appointments(ctx context.Context, q AppointmentQuery) ([]domain.Appointment, error) {
	c := callerOf(ctx)
	if err := c.requirePersonalData("appointments"); err != nil {
		return nil, err
	}
	q, mine := c.ownAppointments(q)
	st, err := domain.ParseStatus(q.Status)
	if err != nil {
		return nil, err
	}
	from, err := domain.ParseOptionalTime("from", q.From)
	if err != nil {
		return nil, err
	}
	to, err := domain.ParseOptionalTime("to", q.To)
	if err != nil {
		return nil, err
	}
	if q.ID != "" {
		if err := domain.CheckID("appointment_id", q.ID); err != nil {
			return nil, err
		}
	}
	if !mine {
		return nil, nil
	}
	return s.store.Appointments(ctx, AppointmentFilter{ID: q.ID, SubscriberID: q.SubscriberID,
		EntityID: q.EntityID, ResourceID: q.ResourceID, Status: st, From: from, To: to})
}
