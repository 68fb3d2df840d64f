package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// AppointmentQuery is GovStack's appointment_filter, times as RFC 3339 strings, and a page: PageSize (0
// for the most) and the PageToken of the previous page.
type AppointmentQuery struct {
	ID, SubscriberID, EntityID, ResourceID, Status, From, To string
	PageSize                                                 int32
	PageToken                                                string
}

// AppointmentPage is one page of a list; Next is the token of the next page ("" on the last).
type AppointmentPage struct {
	Appointments []domain.AppointmentListing
	Next         string
}

// Appointments lists a page of the appointments matching q, in start order, with the names of their
// resources, entities and subscribers; bad filters are InvalidArgument naming the field. A citizen sees
// only their own: a filter for another subscriber finds nothing.
func (s *Service) Appointments(ctx context.Context, q AppointmentQuery) (AppointmentPage, error) {
	c := callerOf(ctx)
	if err := c.requirePersonalData("appointments"); err != nil {
		return AppointmentPage{}, err
	}
	q, mine := c.ownAppointments(q)
	f, err := appointmentFilter(q)
	if err != nil || !mine {
		return AppointmentPage{}, err
	}
	// One more than the page: whether it exists says whether there is a next page.
	f.Limit++
	as, err := s.store.Appointments(ctx, f)
	if err != nil || len(as) < f.Limit {
		return AppointmentPage{Appointments: as}, err
	}
	as = as[:f.Limit-1]
	last := as[len(as)-1]
	return AppointmentPage{Appointments: as, Next: domain.AppointmentCursor{Start: last.Start, ID: last.ID}.Token()}, nil
}

// appointmentFilter reads q, reporting every bad field at once.
func appointmentFilter(q AppointmentQuery) (AppointmentFilter, error) {
	var errs []error
	keep := func(err error) { errs = append(errs, err) }
	st, err := domain.ParseStatus(q.Status)
	keep(err)
	from, err := domain.ParseOptionalTime("from", q.From)
	keep(err)
	to, err := domain.ParseOptionalTime("to", q.To)
	keep(err)
	if q.ID != "" {
		keep(domain.CheckID("appointment_id", q.ID))
	}
	size, err := domain.PageSize(q.PageSize)
	keep(err)
	after, err := domain.ParsePageToken(q.PageToken)
	keep(err)
	if err := apierr.JoinInvalid(errs...); err != nil {
		return AppointmentFilter{}, err
	}
	return AppointmentFilter{ID: q.ID, SubscriberID: q.SubscriberID, EntityID: q.EntityID, ResourceID: q.ResourceID,
		Status: st, From: from, To: to, After: after, Limit: size}, nil
}
