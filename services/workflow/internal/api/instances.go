package api

import (
	"context"
	"net/http"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Instances implements InstanceService.
type Instances struct {
	workflowv1.UnimplementedInstanceServiceServer
	app *app.Service
}

// NewInstances returns the InstanceService on a.
func NewInstances(a *app.Service) *Instances { return &Instances{app: a} }

// ListInstances lists instances.
func (s *Instances) ListInstances(ctx context.Context, r *workflowv1.ListInstancesRequest) (*workflowv1.ListInstancesResponse, error) {
	list, err := s.app.Instances(ctx, app.InstanceFilter{ProcessKey: r.GetProcessId(), State: domain.InstanceState(r.GetState()),
		BusinessKey: r.GetBusinessKey(), Limit: int(r.GetLimit())})
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListInstancesResponse{Instances: make([]*workflowv1.ProcessInstance, 0, len(list))}
	for _, i := range list {
		pb, err := instancePB(i, false)
		if err != nil {
			return nil, err
		}
		out.Instances = append(out.Instances, pb)
	}
	return out, nil
}

// GetInstance returns an instance with its variables.
func (s *Instances) GetInstance(ctx context.Context, r *workflowv1.GetInstanceRequest) (*workflowv1.GetInstanceResponse, error) {
	i, err := s.app.Instance(ctx, r.GetInstanceId())
	if err != nil {
		return nil, err
	}
	pb, err := instancePB(i, true)
	if err != nil {
		return nil, err
	}
	return &workflowv1.GetInstanceResponse{Instance: pb}, nil
}

// StopInstance stops an instance (201).
func (s *Instances) StopInstance(ctx context.Context, r *workflowv1.StopInstanceRequest) (*workflowv1.StopInstanceResponse, error) {
	i, err := s.app.Stop(ctx, r.GetInstanceId())
	if err != nil {
		return nil, err
	}
	if err := setStatus(ctx, http.StatusCreated); err != nil {
		return nil, err
	}
	return &workflowv1.StopInstanceResponse{Instance: startedPB(i)}, nil
}

// SuspendInstance suspends an instance.
func (s *Instances) SuspendInstance(ctx context.Context, r *workflowv1.SuspendInstanceRequest) (*workflowv1.SuspendInstanceResponse, error) {
	i, err := s.app.Suspend(ctx, r.GetInstanceId())
	if err != nil {
		return nil, err
	}
	return &workflowv1.SuspendInstanceResponse{Instance: startedPB(i)}, nil
}

// ResumeInstance resumes an instance.
func (s *Instances) ResumeInstance(ctx context.Context, r *workflowv1.ResumeInstanceRequest) (*workflowv1.ResumeInstanceResponse, error) {
	i, err := s.app.Resume(ctx, r.GetInstanceId())
	if err != nil {
		return nil, err
	}
	return &workflowv1.ResumeInstanceResponse{Instance: startedPB(i)}, nil
}

// GetVariables returns the process variables.
func (s *Instances) GetVariables(ctx context.Context, r *workflowv1.GetVariablesRequest) (*workflowv1.GetVariablesResponse, error) {
	vars, err := s.app.Variables(ctx, r.GetInstanceId())
	if err != nil {
		return nil, err
	}
	pb, err := toStruct(vars)
	if err != nil {
		return nil, err
	}
	return &workflowv1.GetVariablesResponse{Variables: pb}, nil
}

// SetVariables sets process variables.
func (s *Instances) SetVariables(ctx context.Context, r *workflowv1.SetVariablesRequest) (*workflowv1.SetVariablesResponse, error) {
	vars, err := s.app.SetVariables(ctx, r.GetInstanceId(), fromStruct(r.GetVariables()))
	if err != nil {
		return nil, err
	}
	pb, err := toStruct(vars)
	if err != nil {
		return nil, err
	}
	return &workflowv1.SetVariablesResponse{Variables: pb}, nil
}

// ListHistory returns the audit trail.
func (s *Instances) ListHistory(ctx context.Context, r *workflowv1.ListHistoryRequest) (*workflowv1.ListHistoryResponse, error) {
	hs, err := s.app.History(ctx, r.GetInstanceId())
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListHistoryResponse{Entries: make([]*workflowv1.HistoryEntry, 0, len(hs))}
	for _, h := range hs {
		pb, err := historyPB(h)
		if err != nil {
			return nil, err
		}
		out.Entries = append(out.Entries, pb)
	}
	return out, nil
}
