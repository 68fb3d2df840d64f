package api

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Operations implements OperationsService.
type Operations struct {
	workflowv1.UnimplementedOperationsServiceServer
	app *app.Service
}

// NewOperations returns the OperationsService on a.
func NewOperations(a *app.Service) *Operations { return &Operations{app: a} }

// ListIncidents lists incidents.
func (s *Operations) ListIncidents(ctx context.Context, r *workflowv1.ListIncidentsRequest) (*workflowv1.ListIncidentsResponse, error) {
	is, err := s.app.Incidents(ctx, r.GetInstanceId(), r.GetState())
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListIncidentsResponse{Incidents: make([]*workflowv1.Incident, 0, len(is))}
	for _, i := range is {
		out.Incidents = append(out.Incidents, incidentPB(i))
	}
	return out, nil
}

// ResolveIncident resolves an incident.
func (s *Operations) ResolveIncident(ctx context.Context, r *workflowv1.ResolveIncidentRequest) (*workflowv1.ResolveIncidentResponse, error) {
	i, err := s.app.ResolveIncident(ctx, r.GetIncidentId(), int(r.GetRetries()))
	if err != nil {
		return nil, err
	}
	return &workflowv1.ResolveIncidentResponse{Incident: incidentPB(i)}, nil
}

// PutForm deploys a form.
func (s *Operations) PutForm(ctx context.Context, r *workflowv1.PutFormRequest) (*workflowv1.PutFormResponse, error) {
	f, err := s.app.PutForm(ctx, r.GetFormId(), fromStruct(r.GetSchema()))
	if err != nil {
		return nil, err
	}
	return &workflowv1.PutFormResponse{Form: &workflowv1.Form{Id: f.ID, Schema: r.GetSchema(), Version: int32(f.Version)}}, nil
}

// GetForm returns a form.
func (s *Operations) GetForm(ctx context.Context, r *workflowv1.GetFormRequest) (*workflowv1.GetFormResponse, error) {
	f, err := s.app.Form(ctx, r.GetFormId())
	if err != nil {
		return nil, err
	}
	schema, err := toStruct(f.Schema)
	if err != nil {
		return nil, err
	}
	return &workflowv1.GetFormResponse{Form: &workflowv1.Form{Id: f.ID, Schema: schema, Version: int32(f.Version)}}, nil
}

// CreateFlowTrigger creates a flow trigger.
func (s *Operations) CreateFlowTrigger(ctx context.Context, r *workflowv1.CreateFlowTriggerRequest) (*workflowv1.CreateFlowTriggerResponse, error) {
	t, err := s.app.CreateFlowTrigger(ctx, r.GetSourceProcessId(), r.GetOn(), r.GetTargetProcessId())
	if err != nil {
		return nil, err
	}
	return &workflowv1.CreateFlowTriggerResponse{FlowTrigger: triggerPB(t)}, nil
}

// ListFlowTriggers lists flow triggers.
func (s *Operations) ListFlowTriggers(ctx context.Context, _ *workflowv1.ListFlowTriggersRequest) (*workflowv1.ListFlowTriggersResponse, error) {
	ts, err := s.app.FlowTriggers(ctx)
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListFlowTriggersResponse{FlowTriggers: make([]*workflowv1.FlowTrigger, 0, len(ts))}
	for _, t := range ts {
		out.FlowTriggers = append(out.FlowTriggers, triggerPB(t))
	}
	return out, nil
}

// DeleteFlowTrigger deletes a flow trigger.
func (s *Operations) DeleteFlowTrigger(ctx context.Context, r *workflowv1.DeleteFlowTriggerRequest) (*workflowv1.DeleteFlowTriggerResponse, error) {
	return &workflowv1.DeleteFlowTriggerResponse{}, s.app.DeleteFlowTrigger(ctx, r.GetTriggerId())
}

func triggerPB(t domain.FlowTrigger) *workflowv1.FlowTrigger {
	return &workflowv1.FlowTrigger{Id: t.ID, SourceProcessId: t.SourceKey, On: string(t.On), TargetProcessId: t.TargetKey,
		CreatedAt: timestamppb.New(t.CreatedAt)}
}

// GetStatus is the dashboard's summary.
func (s *Operations) GetStatus(ctx context.Context, _ *workflowv1.GetStatusRequest) (*workflowv1.GetStatusResponse, error) {
	st, err := s.app.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := &workflowv1.GetStatusResponse{OverdueTimers: int32(st.OverdueTimers), OpenIncidents: int32(st.OpenIncidents),
		OldestDueTimer: tsOrNil(st.OldestDueTimer)}
	for _, c := range st.Instances {
		out.Instances = append(out.Instances, &workflowv1.InstanceCount{ProcessId: c.ProcessKey, State: string(c.State), Count: int32(c.Count)})
	}
	for _, b := range st.JobBacklog {
		out.JobBacklog = append(out.JobBacklog, &workflowv1.JobBacklog{Type: b.Type, Waiting: int32(b.Waiting), Active: int32(b.Active),
			BackingOff: int32(b.BackingOff)})
	}
	return out, nil
}
