package api

import (
	"context"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Booking implements BookingService.
type Booking struct {
	schedulingv1.UnimplementedBookingServiceServer
	app *app.Service
}

// NewBooking returns the BookingService on a.
func NewBooking(a *app.Service) *Booking { return &Booking{app: a} }

// ListFreeSlots lists free slots of a resource or of an entity's specialty.
func (b *Booking) ListFreeSlots(ctx context.Context, r *schedulingv1.ListFreeSlotsRequest) (*schedulingv1.ListFreeSlotsResponse, error) {
	slots, err := b.app.FreeSlots(ctx, app.SlotQuery{ResourceID: r.GetResourceId(), EntityID: r.GetEntityId(),
		Specialty: r.GetSpecialty(), From: r.GetFrom(), To: r.GetTo()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListFreeSlotsResponse{Slots: make([]*schedulingv1.Slot, 0, len(slots))}
	for _, s := range slots {
		out.Slots = append(out.Slots, slotPB(s))
	}
	return out, nil
}

// GetAvailability is GovStack's availability: the same free slots grouped by resource.
func (b *Booking) GetAvailability(ctx context.Context, r *schedulingv1.GetAvailabilityRequest) (*schedulingv1.GetAvailabilityResponse, error) {
	slots, err := b.app.FreeSlots(ctx, app.SlotQuery{ResourceID: r.GetResourceId(), EntityID: r.GetEntityId(),
		Specialty: r.GetCategory(), From: r.GetFrom(), To: r.GetTo()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.GetAvailabilityResponse{}
	byID := map[string]*schedulingv1.FreeResource{}
	for _, s := range slots {
		fr, ok := byID[s.Resource.ID]
		if !ok {
			fr = &schedulingv1.FreeResource{ResourceId: s.Resource.ID, ResourceName: s.Resource.Name}
			byID[s.Resource.ID] = fr
			out.Resources = append(out.Resources, fr)
		}
		fr.FreeSlots = append(fr.FreeSlots, slotPB(s))
	}
	return out, nil
}

// BookAppointment books a slot.
func (b *Booking) BookAppointment(ctx context.Context, r *schedulingv1.BookAppointmentRequest) (*schedulingv1.BookAppointmentResponse, error) {
	a, err := b.app.Book(ctx, app.Booking{ResourceID: r.GetResourceId(), StartTime: r.GetStartTime(), Reason: r.GetReason(),
		Subscriber: subscriber(r.GetSubscriber())})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.BookAppointmentResponse{Appointment: appointmentPB(a)}, nil
}

// CancelAppointment cancels an appointment.
func (b *Booking) CancelAppointment(ctx context.Context, r *schedulingv1.CancelAppointmentRequest) (*schedulingv1.CancelAppointmentResponse, error) {
	a, err := b.app.Cancel(ctx, r.GetAppointmentId(), r.GetReason())
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CancelAppointmentResponse{Appointment: appointmentPB(a)}, nil
}

// RescheduleAppointment moves an appointment.
func (b *Booking) RescheduleAppointment(ctx context.Context, r *schedulingv1.RescheduleAppointmentRequest) (*schedulingv1.RescheduleAppointmentResponse, error) {
	a, err := b.app.Reschedule(ctx, r.GetAppointmentId(), r.GetStartTime())
	if err != nil {
		return nil, err
	}
	return &schedulingv1.RescheduleAppointmentResponse{Appointment: appointmentPB(a)}, nil
}

// CheckInAppointment checks a citizen in.
func (b *Booking) CheckInAppointment(ctx context.Context, r *schedulingv1.CheckInAppointmentRequest) (*schedulingv1.CheckInAppointmentResponse, error) {
	a, err := b.app.CheckIn(ctx, r.GetAppointmentId(), domain.CheckInClaim{SubscriberID: r.GetSubscriberId(),
		NationalID: r.GetNationalId(), BookingCode: r.GetBookingCode()})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CheckInAppointmentResponse{Appointment: appointmentPB(a)}, nil
}

// ListAppointments lists a page of appointments by GovStack's filter, with their names.
func (b *Booking) ListAppointments(ctx context.Context, r *schedulingv1.ListAppointmentsRequest) (*schedulingv1.ListAppointmentsResponse, error) {
	page, err := b.app.Appointments(ctx, app.AppointmentQuery{ID: r.GetAppointmentId(), SubscriberID: r.GetParticipantId(),
		EntityID: r.GetParticipantEntityId(), ResourceID: r.GetResourceId(), Status: r.GetStatus(), From: r.GetFrom(), To: r.GetTo(),
		PageSize: r.GetPageSize(), PageToken: r.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListAppointmentsResponse{Appointments: make([]*schedulingv1.Appointment, 0, len(page.Appointments)),
		NextPageToken: page.Next}
	for _, l := range page.Appointments {
		out.Appointments = append(out.Appointments, listingPB(l))
	}
	return out, nil
}
