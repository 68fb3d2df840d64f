// Package api adapts the Scheduling use cases to the gRPC services of govstack.scheduling.v1.
package api

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

var statusPB = map[domain.Status]schedulingv1.AppointmentStatus{
	domain.StatusBooked:    schedulingv1.AppointmentStatus_APPOINTMENT_STATUS_BOOKED,
	domain.StatusCheckedIn: schedulingv1.AppointmentStatus_APPOINTMENT_STATUS_CHECKED_IN,
	domain.StatusCancelled: schedulingv1.AppointmentStatus_APPOINTMENT_STATUS_CANCELLED,
}

func appointmentPB(a domain.Appointment) *schedulingv1.Appointment {
	return &schedulingv1.Appointment{AppointmentId: a.ID, ResourceId: a.ResourceID, EntityId: a.EntityID,
		SubscriberId: a.SubscriberID, StartTime: timestamppb.New(a.Start), EndTime: timestamppb.New(a.End),
		Status: statusPB[a.Status], BookingCode: a.BookingCode, Reason: a.Reason}
}

// listingPB is an appointment with the names a list shows.
func listingPB(l domain.AppointmentListing) *schedulingv1.Appointment {
	a := appointmentPB(l.Appointment)
	a.ResourceName, a.Specialty, a.EntityName, a.TimeZone, a.SubscriberName = l.ResourceName, l.Specialty, l.EntityName, l.TimeZone, l.SubscriberName
	return a
}

func documentPB(d domain.Document) *schedulingv1.AppointmentDocument {
	return &schedulingv1.AppointmentDocument{DocumentId: d.ID, AppointmentId: d.AppointmentID, Kind: d.Kind, FileName: d.FileName,
		ContentType: d.ContentType, SizeBytes: d.Size, UploadedBy: d.UploadedBy, CreatedTime: timestamppb.New(d.Created)}
}

func slotPB(s domain.Slot) *schedulingv1.Slot {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	return &schedulingv1.Slot{ResourceId: s.Resource.ID, ResourceName: s.Resource.Name, EntityId: s.Entity.ID,
		Specialty: s.Resource.Specialty, StartTime: timestamppb.New(s.Start), EndTime: timestamppb.New(s.End),
		LocalStart: s.Start.In(loc).Format(time.RFC3339)}
}

func entityPB(e domain.Entity) *schedulingv1.Entity {
	return &schedulingv1.Entity{EntityId: e.ID, Name: e.Name, Category: e.Category, Phone: e.Phone, Email: e.Email,
		Website: e.Website, City: e.City, TimeZone: e.TimeZone}
}

func resourcePB(r domain.Resource) *schedulingv1.Resource {
	return &schedulingv1.Resource{ResourceId: r.ID, Name: r.Name, Category: r.Category, Phone: r.Phone,
		Email: r.Email, Specialty: r.Specialty, SlotMinutes: int32(r.SlotMinutes)}
}

func subscriber(s *schedulingv1.Subscriber) domain.Subscriber {
	return domain.Subscriber{ID: s.GetSubscriberId(), Name: s.GetName(), Email: s.GetEmail(), Phone: s.GetPhone(),
		Category: s.GetCategory(), NationalID: s.GetNationalId()}
}

func recipients(in []*schedulingv1.Recipient) []domain.Recipient {
	out := make([]domain.Recipient, 0, len(in))
	for _, r := range in {
		out = append(out, domain.Recipient{Email: r.GetEmail(), Phone: r.GetPhone()})
	}
	return out
}
