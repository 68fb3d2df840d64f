package api

import (
	"context"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
)

// SubmitApplication starts an application file.
func (h *EServices) SubmitApplication(ctx context.Context, r *registrationv1.SubmitApplicationRequest) (*registrationv1.SubmitApplicationResponse, error) {
	a, err := h.app.SubmitApplication(ctx, r.GetServiceId(), applicationInput(r.GetApplication()))
	if err != nil {
		return nil, err
	}
	return &registrationv1.SubmitApplicationResponse{ApplicationFile: applicationPB(a)}, nil
}

// ListApplications lists application files.
func (h *EServices) ListApplications(ctx context.Context, r *registrationv1.ListApplicationsRequest) (*registrationv1.ListApplicationsResponse, error) {
	items, err := h.app.ListApplications(ctx, app.ApplicationQuery{ServiceID: r.GetServiceId(), ApplicantID: r.GetApplicantId(),
		FirstResult: r.GetFirstResult(), MaxResult: r.GetMaxResult(), SortBy: r.GetSortBy(), SortOrder: r.GetSortOrder()})
	if err != nil {
		return nil, err
	}
	out := &registrationv1.ListApplicationsResponse{Applications: make([]*registrationv1.ApplicationListItem, 0, len(items))}
	for _, it := range items {
		out.Applications = append(out.Applications, applicationItemPB(it))
	}
	return out, nil
}

// GetApplication returns one application file.
func (h *EServices) GetApplication(ctx context.Context, r *registrationv1.GetApplicationRequest) (*registrationv1.GetApplicationResponse, error) {
	a, err := h.app.GetApplication(ctx, r.GetFileId())
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetApplicationResponse{ApplicationFile: applicationPB(a)}, nil
}

// UpdateApplication is an operator's update of a file.
func (h *EServices) UpdateApplication(ctx context.Context, r *registrationv1.UpdateApplicationRequest) (*registrationv1.UpdateApplicationResponse, error) {
	in := applicationInput(r.GetApplication())
	if r.GetApplication().GetFormData().GetData() == nil {
		in.Data = nil // no formData: keep the file's
	}
	a, err := h.app.UpdateApplication(ctx, r.GetFileId(), in)
	if err != nil {
		return nil, err
	}
	return &registrationv1.UpdateApplicationResponse{ApplicationFile: applicationPB(a)}, nil
}

// ListTasks lists tasks.
func (h *EServices) ListTasks(ctx context.Context, r *registrationv1.ListTasksRequest) (*registrationv1.ListTasksResponse, error) {
	tasks, err := h.app.ListTasks(ctx, app.TaskQuery{MainTaskID: r.GetMainTaskId(), FileID: r.GetFileId(),
		AssigneeID: r.GetAssigneeId(), FirstResult: r.GetFirstResult(), MaxResult: r.GetMaxResult(),
		SortBy: r.GetSortBy(), SortOrder: r.GetSortOrder()})
	if err != nil {
		return nil, err
	}
	out := &registrationv1.ListTasksResponse{Tasks: make([]*registrationv1.Task, 0, len(tasks))}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, taskPB(t))
	}
	return out, nil
}

// GetTask returns a task with the application's data.
func (h *EServices) GetTask(ctx context.Context, r *registrationv1.GetTaskRequest) (*registrationv1.GetTaskResponse, error) {
	d, err := h.app.GetTask(ctx, r.GetTaskId())
	if err != nil {
		return nil, err
	}
	t, err := taskDetailPB(d)
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetTaskResponse{Task: t}, nil
}

// CompleteTask records an operator's decision.
func (h *EServices) CompleteTask(ctx context.Context, r *registrationv1.CompleteTaskRequest) (*registrationv1.CompleteTaskResponse, error) {
	data := r.GetAdditionalData().GetData()
	c, err := h.app.CompleteTask(ctx, r.GetTaskId(), data.AsMap())
	if err != nil {
		return nil, err
	}
	return &registrationv1.CompleteTaskResponse{TaskId: c.Task.ID, FileId: c.Task.FileID, ServiceId: c.Task.ServiceID,
		Status: statusPB(c.Status), Variables: data}, nil
}
