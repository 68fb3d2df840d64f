package api

import (
	"context"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Scheduler implements SchedulerService, GovStack's CRUD surface.
type Scheduler struct {
	schedulingv1.UnimplementedSchedulerServiceServer
	app *app.Service
}

// NewScheduler returns the SchedulerService on a.
func NewScheduler(a *app.Service) *Scheduler { return &Scheduler{app: a} }

func entity(e *schedulingv1.Entity) domain.Entity {
	return domain.Entity{ID: e.GetEntityId(), Name: e.GetName(), Category: e.GetCategory(), City: e.GetCity(),
		TimeZone: e.GetTimeZone(), Email: e.GetEmail(), Phone: e.GetPhone(), Website: e.GetWebsite()}
}

func resource(r *schedulingv1.Resource) domain.Resource {
	return domain.Resource{ID: r.GetResourceId(), Name: r.GetName(), Category: r.GetCategory(), Specialty: r.GetSpecialty(),
		Email: r.GetEmail(), Phone: r.GetPhone(), SlotMinutes: int(r.GetSlotMinutes())}
}

func subscriberPB(s domain.Subscriber) *schedulingv1.Subscriber {
	return &schedulingv1.Subscriber{SubscriberId: s.ID, Name: s.Name, Email: s.Email, Phone: s.Phone, Category: s.Category}
}

// CreateEntity is POST /entity/new.
func (s *Scheduler) CreateEntity(ctx context.Context, r *schedulingv1.CreateEntityRequest) (*schedulingv1.CreateEntityResponse, error) {
	e, err := s.app.CreateEntity(ctx, entity(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateEntityResponse{EntityId: e.ID, Entity: entityPB(e)}, nil
}

// ModifyEntity is PUT /entity/modifications.
func (s *Scheduler) ModifyEntity(ctx context.Context, r *schedulingv1.ModifyEntityRequest) (*schedulingv1.ModifyEntityResponse, error) {
	e, err := s.app.ModifyEntity(ctx, r.GetEntityId(), entity(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyEntityResponse{Entity: entityPB(e)}, nil
}

// DeleteEntity is DELETE /entity.
func (s *Scheduler) DeleteEntity(ctx context.Context, r *schedulingv1.DeleteEntityRequest) (*schedulingv1.DeleteEntityResponse, error) {
	return &schedulingv1.DeleteEntityResponse{}, s.app.DeleteEntity(ctx, r.GetEntityId())
}

// CreateResource is POST /resource/new.
func (s *Scheduler) CreateResource(ctx context.Context, r *schedulingv1.CreateResourceRequest) (*schedulingv1.CreateResourceResponse, error) {
	x, err := s.app.CreateResource(ctx, resource(r.GetResourceDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateResourceResponse{ResourceId: x.ID, Resource: resourcePB(x)}, nil
}

// ModifyResource is PUT /resource/modifications.
func (s *Scheduler) ModifyResource(ctx context.Context, r *schedulingv1.ModifyResourceRequest) (*schedulingv1.ModifyResourceResponse, error) {
	x, err := s.app.ModifyResource(ctx, r.GetResourceId(), resource(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyResourceResponse{Resource: resourcePB(x)}, nil
}

// DeleteResource is DELETE /resource.
func (s *Scheduler) DeleteResource(ctx context.Context, r *schedulingv1.DeleteResourceRequest) (*schedulingv1.DeleteResourceResponse, error) {
	return &schedulingv1.DeleteResourceResponse{}, s.app.DeleteResource(ctx, r.GetResourceId())
}

// CreateSubscriber is POST /subscriber/new.
func (s *Scheduler) CreateSubscriber(ctx context.Context, r *schedulingv1.CreateSubscriberRequest) (*schedulingv1.CreateSubscriberResponse, error) {
	x, err := s.app.CreateSubscriber(ctx, subscriber(r.GetSubscriberDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateSubscriberResponse{SubscriberId: x.ID, Subscriber: subscriberPB(x)}, nil
}

// ModifySubscriber is PUT /subscriber/modifications.
func (s *Scheduler) ModifySubscriber(ctx context.Context, r *schedulingv1.ModifySubscriberRequest) (*schedulingv1.ModifySubscriberResponse, error) {
	x, err := s.app.ModifySubscriber(ctx, r.GetSubscriberId(), subscriber(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifySubscriberResponse{Subscriber: subscriberPB(x)}, nil
}

// DeleteSubscriber is DELETE /subscriber.
func (s *Scheduler) DeleteSubscriber(ctx context.Context, r *schedulingv1.DeleteSubscriberRequest) (*schedulingv1.DeleteSubscriberResponse, error) {
	return &schedulingv1.DeleteSubscriberResponse{}, s.app.DeleteSubscriber(ctx, r.GetSubscriberId())
}

// ListSubscribers is GET /subscriber/list_details.
func (s *Scheduler) ListSubscribers(ctx context.Context, r *schedulingv1.ListSubscribersRequest) (*schedulingv1.ListSubscribersResponse, error) {
	ss, err := s.app.Subscribers(ctx, app.SubscriberFilter{IDs: r.GetSubscriberId(), Category: r.GetCategory(), Name: r.GetName(),
		Email: r.GetEmail(), Phone: r.GetPhone()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListSubscribersResponse{Subscribers: make([]*schedulingv1.Subscriber, 0, len(ss))}
	for _, x := range ss {
		out.Subscribers = append(out.Subscribers, subscriberPB(x))
	}
	return out, nil
}

func affiliationInput(id string, a *schedulingv1.Affiliation) app.AffiliationInput {
	in := app.AffiliationInput{ID: id, ResourceID: a.GetResourceId(), EntityID: a.GetEntityId(), Category: a.GetResourceCategory()}
	for _, h := range a.GetWorkDaysHours() {
		in.Hours = append(in.Hours, app.HoursInput{Weekday: int(h.GetWeekday()), Start: h.GetStart(), End: h.GetEnd()})
	}
	return in
}

func affiliationPB(a domain.Affiliation, category string) *schedulingv1.Affiliation {
	out := &schedulingv1.Affiliation{AffiliationId: a.ID, ResourceId: a.Resource.ID, EntityId: a.Entity.ID, ResourceCategory: category}
	for _, h := range a.Hours {
		out.WorkDaysHours = append(out.WorkDaysHours, &schedulingv1.WorkingHours{Weekday: int32(h.Weekday),
			Start: hhmm(h.StartMinute), End: hhmm(h.EndMinute)})
	}
	return out
}

func hhmm(m int) string {
	return string([]byte{byte('0' + m/600), byte('0' + m/60%10), ':', byte('0' + m%60/10), byte('0' + m%10)})
}

// CreateAffiliation is POST /affiliation/new.
func (s *Scheduler) CreateAffiliation(ctx context.Context, r *schedulingv1.CreateAffiliationRequest) (*schedulingv1.CreateAffiliationResponse, error) {
	a, err := s.app.CreateAffiliation(ctx, affiliationInput(r.GetAffiliationDetails().GetAffiliationId(), r.GetAffiliationDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateAffiliationResponse{AffiliationId: a.ID, Affiliation: affiliationPB(a, r.GetAffiliationDetails().GetResourceCategory())}, nil
}

// ModifyAffiliation is PUT /affiliation/modifications: category and working hours change.
func (s *Scheduler) ModifyAffiliation(ctx context.Context, r *schedulingv1.ModifyAffiliationRequest) (*schedulingv1.ModifyAffiliationResponse, error) {
	if err := s.app.ModifyAffiliation(ctx, r.GetAffiliationId(), affiliationInput(r.GetAffiliationId(), r.GetDetails())); err != nil {
		return nil, err
	}
	as, cats, err := s.app.Affiliations(ctx, app.AffiliationListFilter{IDs: []string{r.GetAffiliationId()}})
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &schedulingv1.ModifyAffiliationResponse{Affiliation: affiliationPB(as[0], cats[0])}, nil
}

// DeleteAffiliation is DELETE /affiliation.
func (s *Scheduler) DeleteAffiliation(ctx context.Context, r *schedulingv1.DeleteAffiliationRequest) (*schedulingv1.DeleteAffiliationResponse, error) {
	return &schedulingv1.DeleteAffiliationResponse{}, s.app.DeleteAffiliation(ctx, r.GetAffiliationId())
}

// ListAffiliations is GET /affiliation/list_details.
func (s *Scheduler) ListAffiliations(ctx context.Context, r *schedulingv1.ListAffiliationsRequest) (*schedulingv1.ListAffiliationsResponse, error) {
	as, cats, err := s.app.Affiliations(ctx, app.AffiliationListFilter{IDs: r.GetAffiliationId(), ResourceID: r.GetResourceId(),
		EntityID: r.GetEntityId(), Category: r.GetCategory()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListAffiliationsResponse{Affiliations: make([]*schedulingv1.Affiliation, 0, len(as))}
	for i, a := range as {
		out.Affiliations = append(out.Affiliations, affiliationPB(a, cats[i]))
	}
	return out, nil
}

// CreateAppointmentRecord is GovStack's POST /appointment/new: a booking (see BookAppointment). The
// subscriber's stored details are used when the body names only participant_id.
func (s *Scheduler) CreateAppointmentRecord(ctx context.Context, r *schedulingv1.CreateAppointmentRecordRequest) (*schedulingv1.CreateAppointmentRecordResponse, error) {
	d := r.GetAppointmentDetails()
	sub := subscriber(d.GetSubscriber())
	if sub.ID == "" {
		sub.ID = d.GetParticipantId()
	}
	a, err := s.app.BookRecord(ctx, app.Booking{ResourceID: d.GetResourceId(), StartTime: d.GetStartTime(), Reason: d.GetReason(), Subscriber: sub})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateAppointmentRecordResponse{AppointmentId: a.ID, Appointment: appointmentDetails(a)}, nil
}

func appointmentDetails(a domain.Appointment) *schedulingv1.AppointmentDetails {
	return &schedulingv1.AppointmentDetails{ParticipantId: a.SubscriberID, ParticipantType: "subscriber", ParticipantEntityId: a.EntityID,
		ResourceId: a.ResourceID, StartTime: a.Start.Format("2006-01-02T15:04:05Z07:00"), Reason: a.Reason, Status: string(a.Status)}
}

// ModifyAppointmentRecord is PUT /appointment/modifications: status "cancelled" cancels, a start_time
// reschedules (atomically); nothing else may change.
func (s *Scheduler) ModifyAppointmentRecord(ctx context.Context, r *schedulingv1.ModifyAppointmentRecordRequest) (*schedulingv1.ModifyAppointmentRecordResponse, error) {
	d := r.GetDetails()
	var a domain.Appointment
	var err error
	switch {
	case strings.EqualFold(d.GetStatus(), string(domain.StatusCancelled)):
		a, err = s.app.Cancel(ctx, r.GetAppointmentId(), d.GetReason())
	case d.GetStartTime() != "":
		a, err = s.app.Reschedule(ctx, r.GetAppointmentId(), d.GetStartTime())
	default:
		err = apierr.Invalid(domain.ReasonInvalidInput, "give start_time to reschedule or status cancelled to cancel",
			apierr.FieldViolation{Field: "details.start_time", Description: "the new slot start, or set status to cancelled"})
	}
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyAppointmentRecordResponse{Appointment: appointmentDetails(a)}, nil
}

// DeleteAppointmentRecord is DELETE /appointment: a cancel (the appointment is kept, cancelled, for the record).
func (s *Scheduler) DeleteAppointmentRecord(ctx context.Context, r *schedulingv1.DeleteAppointmentRecordRequest) (*schedulingv1.DeleteAppointmentRecordResponse, error) {
	_, err := s.app.Cancel(ctx, r.GetAppointmentId(), "deleted")
	return &schedulingv1.DeleteAppointmentRecordResponse{}, err
}
