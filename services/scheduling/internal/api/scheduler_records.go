package api

import (
	"context"

	"google.golang.org/protobuf/reflect/protoreflect"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// CreateEvent is POST /event/new.
func (s *Scheduler) CreateEvent(ctx context.Context, r *schedulingv1.CreateEventRequest) (*schedulingv1.CreateEventResponse, error) {
	m, err := s.app.CreateEvent(ctx, orEmpty(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateEventResponse{EventId: m.GetEventId(), Event: m}, nil
}

// ModifyEvent is PUT /event/modifications.
func (s *Scheduler) ModifyEvent(ctx context.Context, r *schedulingv1.ModifyEventRequest) (*schedulingv1.ModifyEventResponse, error) {
	m, err := s.app.ModifyEvent(ctx, r.GetEventId(), orEmpty(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyEventResponse{Event: m}, nil
}

// DeleteEvent is DELETE /event.
func (s *Scheduler) DeleteEvent(ctx context.Context, r *schedulingv1.DeleteEventRequest) (*schedulingv1.DeleteEventResponse, error) {
	return &schedulingv1.DeleteEventResponse{}, s.app.DeleteRecord(ctx, "event", r.GetEventId())
}

// ListEvents is GET /event/list_details.
func (s *Scheduler) ListEvents(ctx context.Context, r *schedulingv1.ListEventsRequest) (*schedulingv1.ListEventsResponse, error) {
	from, to, err := app.TimeFilter(r.GetFrom(), r.GetTo())
	if err != nil {
		return nil, err
	}
	ms, err := s.app.Events(ctx, store.RecordFilter{IDs: r.GetEventId(), EntityID: r.GetHostEntityId(), Category: r.GetCategory(),
		Name: r.GetName(), From: from, To: to})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListEventsResponse{Events: ms}, nil
}

// CreateMessage is POST /message/new.
func (s *Scheduler) CreateMessage(ctx context.Context, r *schedulingv1.CreateMessageRequest) (*schedulingv1.CreateMessageResponse, error) {
	m, err := s.app.CreateMessage(ctx, orEmpty(r.GetMessageDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateMessageResponse{MessageId: m.GetMessageId(), Message: m}, nil
}

// ModifyMessage is PUT /message/modifications.
func (s *Scheduler) ModifyMessage(ctx context.Context, r *schedulingv1.ModifyMessageRequest) (*schedulingv1.ModifyMessageResponse, error) {
	m, err := s.app.ModifyMessage(ctx, r.GetMessageId(), orEmpty(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyMessageResponse{Message: m}, nil
}

// DeleteMessage is DELETE /message.
func (s *Scheduler) DeleteMessage(ctx context.Context, r *schedulingv1.DeleteMessageRequest) (*schedulingv1.DeleteMessageResponse, error) {
	return &schedulingv1.DeleteMessageResponse{}, s.app.DeleteRecord(ctx, "message", r.GetMessageId())
}

// ListMessages is GET /message/list_details.
func (s *Scheduler) ListMessages(ctx context.Context, r *schedulingv1.ListMessagesRequest) (*schedulingv1.ListMessagesResponse, error) {
	ms, err := s.app.Messages(ctx, store.RecordFilter{IDs: r.GetMessageId(), EntityID: r.GetEntityId(), Category: r.GetCategory()})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListMessagesResponse{Messages: ms}, nil
}

// CreateAlertSchedule is POST /alert_schedule/new: the alert fires once at alert_datetime.
func (s *Scheduler) CreateAlertSchedule(ctx context.Context, r *schedulingv1.CreateAlertScheduleRequest) (*schedulingv1.CreateAlertScheduleResponse, error) {
	m, err := s.app.CreateAlertSchedule(ctx, orEmpty(r.GetAlertScheduleDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateAlertScheduleResponse{AlertScheduleId: m.GetAlertScheduleId(), AlertSchedule: m}, nil
}

// ModifyAlertSchedule is PUT /alert_schedule/modifications; a pending alert moves with it.
func (s *Scheduler) ModifyAlertSchedule(ctx context.Context, r *schedulingv1.ModifyAlertScheduleRequest) (*schedulingv1.ModifyAlertScheduleResponse, error) {
	m, err := s.app.ModifyAlertSchedule(ctx, r.GetAlertScheduleId(), orEmpty(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyAlertScheduleResponse{AlertSchedule: m}, nil
}

// DeleteAlertSchedule is DELETE /alert_schedule; a pending alert is cancelled.
func (s *Scheduler) DeleteAlertSchedule(ctx context.Context, r *schedulingv1.DeleteAlertScheduleRequest) (*schedulingv1.DeleteAlertScheduleResponse, error) {
	return &schedulingv1.DeleteAlertScheduleResponse{}, s.app.DeleteRecord(ctx, "alert_schedule", r.GetAlertScheduleId())
}

// ListAlertSchedules is GET /alert_schedule/list_details (from/to filter alert_datetime).
func (s *Scheduler) ListAlertSchedules(ctx context.Context, r *schedulingv1.ListAlertSchedulesRequest) (*schedulingv1.ListAlertSchedulesResponse, error) {
	from, to, err := app.TimeFilter(r.GetFrom(), r.GetTo())
	if err != nil {
		return nil, err
	}
	ms, err := s.app.AlertSchedules(ctx, store.RecordFilter{IDs: r.GetAlertScheduleId(), EntityID: r.GetEntityId(),
		Category: r.GetTargetCategory(), From: from, To: to})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListAlertSchedulesResponse{AlertSchedules: ms}, nil
}

// CreateLog is POST /log/new.
func (s *Scheduler) CreateLog(ctx context.Context, r *schedulingv1.CreateLogRequest) (*schedulingv1.CreateLogResponse, error) {
	m, err := s.app.CreateLog(ctx, orEmpty(r.GetLogDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateLogResponse{LogId: m.GetLogId(), Log: m}, nil
}

// ModifyLog is PUT /log/modifications.
func (s *Scheduler) ModifyLog(ctx context.Context, r *schedulingv1.ModifyLogRequest) (*schedulingv1.ModifyLogResponse, error) {
	m, err := s.app.ModifyLog(ctx, r.GetLogId(), orEmpty(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyLogResponse{Log: m}, nil
}

// DeleteLog is DELETE /log.
func (s *Scheduler) DeleteLog(ctx context.Context, r *schedulingv1.DeleteLogRequest) (*schedulingv1.DeleteLogResponse, error) {
	return &schedulingv1.DeleteLogResponse{}, s.app.DeleteRecord(ctx, "log", r.GetLogId())
}

// ListLogs is GET /log/list_details (from/to filter datetime).
func (s *Scheduler) ListLogs(ctx context.Context, r *schedulingv1.ListLogsRequest) (*schedulingv1.ListLogsResponse, error) {
	from, to, err := app.TimeFilter(r.GetFrom(), r.GetTo())
	if err != nil {
		return nil, err
	}
	ms, err := s.app.Logs(ctx, store.RecordFilter{IDs: r.GetLogId(), EntityID: r.GetEntityId(), Category: r.GetCategory(), From: from, To: to})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListLogsResponse{Logs: ms}, nil
}

// orEmpty turns a missing body into an empty message, so validation names the missing field instead of
// the handler dereferencing nil.
func orEmpty[M interface{ ProtoReflect() protoreflect.Message }](m M) M {
	if m.ProtoReflect().IsValid() {
		return m
	}
	return m.ProtoReflect().Type().New().Interface().(M)
}
