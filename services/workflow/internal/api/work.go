package api

import (
	"context"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Jobs implements JobService.
type Jobs struct {
	workflowv1.UnimplementedJobServiceServer
	app *app.Service
}

// NewJobs returns the JobService on a.
func NewJobs(a *app.Service) *Jobs { return &Jobs{app: a} }

// ActivateJobs leases jobs to a worker.
func (s *Jobs) ActivateJobs(ctx context.Context, r *workflowv1.ActivateJobsRequest) (*workflowv1.ActivateJobsResponse, error) {
	jobs, err := s.app.Activate(ctx, app.ActivateInput{Type: r.GetType(), Worker: r.GetWorker(), Max: int(r.GetMaxJobsToActivate()),
		Lease: millis(r.GetTimeout()), Wait: millis(r.GetRequestTimeout()), Fetch: r.GetFetchVariable()})
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ActivateJobsResponse{Jobs: make([]*workflowv1.Job, 0, len(jobs))}
	for _, j := range jobs {
		pb, err := jobPB(j)
		if err != nil {
			return nil, err
		}
		out.Jobs = append(out.Jobs, pb)
	}
	return out, nil
}

// CompleteJob completes a job.
func (s *Jobs) CompleteJob(ctx context.Context, r *workflowv1.CompleteJobRequest) (*workflowv1.CompleteJobResponse, error) {
	err := s.app.CompleteJob(ctx, r.GetJobKey(), lease(r.GetWorker(), r.GetLeaseEpoch()), fromStruct(r.GetVariables()))
	return &workflowv1.CompleteJobResponse{}, err
}

// FailJob reports a failure.
func (s *Jobs) FailJob(ctx context.Context, r *workflowv1.FailJobRequest) (*workflowv1.FailJobResponse, error) {
	err := s.app.FailJob(ctx, r.GetJobKey(), lease(r.GetWorker(), r.GetLeaseEpoch()), int(r.GetRetries()), r.GetErrorMessage(),
		millis(r.GetRetryBackOff()))
	return &workflowv1.FailJobResponse{}, err
}

// ThrowJobError throws a BPMN error.
func (s *Jobs) ThrowJobError(ctx context.Context, r *workflowv1.ThrowJobErrorRequest) (*workflowv1.ThrowJobErrorResponse, error) {
	err := s.app.ThrowJobError(ctx, r.GetJobKey(), lease(r.GetWorker(), r.GetLeaseEpoch()), r.GetErrorCode(), r.GetErrorMessage(),
		fromStruct(r.GetVariables()))
	return &workflowv1.ThrowJobErrorResponse{}, err
}

// ExtendJobLease extends a lease.
func (s *Jobs) ExtendJobLease(ctx context.Context, r *workflowv1.ExtendJobLeaseRequest) (*workflowv1.ExtendJobLeaseResponse, error) {
	j, err := s.app.ExtendJobLease(ctx, r.GetJobKey(), lease(r.GetWorker(), r.GetLeaseEpoch()), millis(r.GetTimeout()))
	if err != nil {
		return nil, err
	}
	return &workflowv1.ExtendJobLeaseResponse{Job: jobRowPB(j)}, nil
}

func lease(worker string, epoch int32) domain.Lease {
	return domain.Lease{Worker: worker, Epoch: int(epoch)}
}

// Tasks implements UserTaskService.
type Tasks struct {
	workflowv1.UnimplementedUserTaskServiceServer
	app *app.Service
}

// NewTasks returns the UserTaskService on a.
func NewTasks(a *app.Service) *Tasks { return &Tasks{app: a} }

// ListUserTasks lists the tasks the caller may see.
func (s *Tasks) ListUserTasks(ctx context.Context, r *workflowv1.ListUserTasksRequest) (*workflowv1.ListUserTasksResponse, error) {
	ts, err := s.app.UserTasks(ctx, app.TaskFilter{State: r.GetState(), Assignee: r.GetAssignee(), CandidateGroup: r.GetCandidateGroup(),
		ProcessKey: r.GetProcessId()})
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListUserTasksResponse{Tasks: make([]*workflowv1.UserTask, 0, len(ts))}
	for _, t := range ts {
		pb, _ := taskPB(t, nil, false)
		out.Tasks = append(out.Tasks, pb)
	}
	return out, nil
}

// GetUserTask returns a task with its form and variables.
func (s *Tasks) GetUserTask(ctx context.Context, r *workflowv1.GetUserTaskRequest) (*workflowv1.GetUserTaskResponse, error) {
	t, vars, err := s.app.UserTask(ctx, r.GetTaskId())
	if err != nil {
		return nil, err
	}
	pb, err := taskPB(t, vars, true)
	if err != nil {
		return nil, err
	}
	return &workflowv1.GetUserTaskResponse{Task: pb}, nil
}

// ClaimUserTask claims a task.
func (s *Tasks) ClaimUserTask(ctx context.Context, r *workflowv1.ClaimUserTaskRequest) (*workflowv1.ClaimUserTaskResponse, error) {
	t, err := s.app.ClaimUserTask(ctx, r.GetTaskId())
	if err != nil {
		return nil, err
	}
	pb, _ := taskPB(t, nil, false)
	return &workflowv1.ClaimUserTaskResponse{Task: pb}, nil
}

// AssignUserTask assigns a task.
func (s *Tasks) AssignUserTask(ctx context.Context, r *workflowv1.AssignUserTaskRequest) (*workflowv1.AssignUserTaskResponse, error) {
	t, err := s.app.AssignUserTask(ctx, r.GetTaskId(), r.GetAssignee())
	if err != nil {
		return nil, err
	}
	pb, _ := taskPB(t, nil, false)
	return &workflowv1.AssignUserTaskResponse{Task: pb}, nil
}

// CompleteUserTask completes a task.
func (s *Tasks) CompleteUserTask(ctx context.Context, r *workflowv1.CompleteUserTaskRequest) (*workflowv1.CompleteUserTaskResponse, error) {
	t, err := s.app.CompleteUserTask(ctx, r.GetTaskId(), fromStruct(r.GetVariables()))
	if err != nil {
		return nil, err
	}
	pb, _ := taskPB(t, nil, false)
	return &workflowv1.CompleteUserTaskResponse{Task: pb}, nil
}

// Messages implements MessageService.
type Messages struct {
	workflowv1.UnimplementedMessageServiceServer
	app *app.Service
}

// NewMessages returns the MessageService on a.
func NewMessages(a *app.Service) *Messages { return &Messages{app: a} }

// PublishMessage publishes a message.
func (s *Messages) PublishMessage(ctx context.Context, r *workflowv1.PublishMessageRequest) (*workflowv1.PublishMessageResponse, error) {
	p, err := s.app.Publish(ctx, app.PublishInput{Name: r.GetName(), CorrelationKey: r.GetCorrelationKey(), TTL: millis(r.GetTimeToLive()),
		MessageID: r.GetMessageId(), Vars: fromStruct(r.GetVariables())})
	if err != nil {
		return nil, err
	}
	return &workflowv1.PublishMessageResponse{Key: p.Key, ProcessInstanceIds: p.Instances}, nil
}
