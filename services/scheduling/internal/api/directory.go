package api

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
)

// Directory implements DirectoryService.
type Directory struct {
	schedulingv1.UnimplementedDirectoryServiceServer
	app *app.Service
}

// NewDirectory returns the DirectoryService on a.
func NewDirectory(a *app.Service) *Directory { return &Directory{app: a} }

// ListEntities lists entities.
func (d *Directory) ListEntities(ctx context.Context, r *schedulingv1.ListEntitiesRequest) (*schedulingv1.ListEntitiesResponse, error) {
	es, err := d.app.Entities(ctx, app.EntityFilter{IDs: r.GetEntityId(), Category: r.GetCategory(), Name: r.GetName(), City: r.GetCity()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListEntitiesResponse{Entities: make([]*schedulingv1.Entity, 0, len(es))}
	for _, e := range es {
		out.Entities = append(out.Entities, entityPB(e))
	}
	return out, nil
}

// ListResources lists resources.
func (d *Directory) ListResources(ctx context.Context, r *schedulingv1.ListResourcesRequest) (*schedulingv1.ListResourcesResponse, error) {
	rs, err := d.app.Resources(ctx, app.ResourceFilter{IDs: r.GetResourceId(), Category: r.GetCategory(), Name: r.GetName(),
		Specialty: r.GetSpecialty(), EntityID: r.GetEntityId()})
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListResourcesResponse{Resources: make([]*schedulingv1.Resource, 0, len(rs))}
	for _, x := range rs {
		out.Resources = append(out.Resources, resourcePB(x))
	}
	return out, nil
}

// Deadlines implements DeadlineService.
type Deadlines struct {
	schedulingv1.UnimplementedDeadlineServiceServer
	app *app.Service
}

// NewDeadlines returns the DeadlineService on a.
func NewDeadlines(a *app.Service) *Deadlines { return &Deadlines{app: a} }

// SetDeadline creates a deadline.
func (d *Deadlines) SetDeadline(ctx context.Context, r *schedulingv1.SetDeadlineRequest) (*schedulingv1.SetDeadlineResponse, error) {
	if r.GetDueAt() != nil && r.GetDueAt().CheckValid() != nil {
		return nil, apierr.Invalid("INVALID_TIME", "due_at is not a valid time", apierr.FieldViolation{Field: "due_at", Description: "not a valid time"})
	}
	var in app.DeadlineInput
	in.Subject, in.Reference, in.Recipients = r.GetSubject(), r.GetReference(), recipients(r.GetRecipients())
	if r.GetDueAt() != nil {
		in.DueAt = r.GetDueAt().AsTime()
	}
	t, err := d.app.SetDeadline(ctx, in)
	if err != nil {
		return nil, err
	}
	return &schedulingv1.SetDeadlineResponse{Deadline: &schedulingv1.Deadline{DeadlineId: t.ID, Subject: t.Subject,
		Reference: t.Reference, DueAt: timestamppb.New(t.FireAt), Recipients: r.GetRecipients()}}, nil
}

// CancelDeadline cancels a pending deadline.
func (d *Deadlines) CancelDeadline(ctx context.Context, r *schedulingv1.CancelDeadlineRequest) (*schedulingv1.CancelDeadlineResponse, error) {
	if err := d.app.CancelDeadline(ctx, r.GetDeadlineId()); err != nil {
		return nil, err
	}
	return &schedulingv1.CancelDeadlineResponse{}, nil
}

// AddResourceException records leave or a holiday.
func (d *Directory) AddResourceException(ctx context.Context, r *schedulingv1.AddResourceExceptionRequest) (*schedulingv1.AddResourceExceptionResponse, error) {
	id, err := d.app.AddException(ctx, r.GetResourceId(), r.GetFrom(), r.GetTo(), r.GetReason())
	if err != nil {
		return nil, err
	}
	return &schedulingv1.AddResourceExceptionResponse{ExceptionId: id}, nil
}

// DeleteResourceException removes a leave or holiday period.
func (d *Directory) DeleteResourceException(ctx context.Context, r *schedulingv1.DeleteResourceExceptionRequest) (*schedulingv1.DeleteResourceExceptionResponse, error) {
	if err := d.app.DeleteException(ctx, r.GetExceptionId()); err != nil {
		return nil, err
	}
	return &schedulingv1.DeleteResourceExceptionResponse{}, nil
}
