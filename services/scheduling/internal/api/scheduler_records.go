package api

import (
	"context"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// CreateEvent is POST /event/new.
func (s *Scheduler) CreateEvent(ctx context.Context, r *schedulingv1.CreateEventRequest) (*schedulingv1.CreateEventResponse, error) {
	e, err := s.app.CreateEvent(ctx, hostedEvent(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateEventResponse{EventId: e.ID, Event: hostedEventPB(e)}, nil
}

// ModifyEvent is PUT /event/modifications.
func (s *Scheduler) ModifyEvent(ctx context.Context, r *schedulingv1.ModifyEventRequest) (*schedulingv1.ModifyEventResponse, error) {
	e, err := s.app.ModifyEvent(ctx, r.GetEventId(), hostedEvent(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyEventResponse{Event: hostedEventPB(e)}, nil
}

// DeleteEvent is DELETE /event.
func (s *Scheduler) DeleteEvent(ctx context.Context, r *schedulingv1.DeleteEventRequest) (*schedulingv1.DeleteEventResponse, error) {
	return &schedulingv1.DeleteEventResponse{}, s.app.DeleteEvent(ctx, r.GetEventId())
}

// ListEvents is GET /event/list_details.
func (s *Scheduler) ListEvents(ctx context.Context, r *schedulingv1.ListEventsRequest) (*schedulingv1.ListEventsResponse, error) {
	from, to, err := domain.ParseTimeFilter(r.GetFrom(), r.GetTo())
	if err != nil {
		return nil, err
	}
	es, err := s.app.Events(ctx, app.RecordFilter{IDs: r.GetEventId(), EntityID: r.GetHostEntityId(), Category: r.GetCategory(),
		Name: r.GetName(), From: from, To: to})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListEventsResponse{Events: each(es, hostedEventPB)}, nil
}

// CreateMessage is POST /message/new.
func (s *Scheduler) CreateMessage(ctx context.Context, r *schedulingv1.CreateMessageRequest) (*schedulingv1.CreateMessageResponse, error) {
	m, err := s.app.CreateMessage(ctx, message(r.GetMessageDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateMessageResponse{MessageId: m.ID, Message: messagePB(m)}, nil
}

// ModifyMessage is PUT /message/modifications.
func (s *Scheduler) ModifyMessage(ctx context.Context, r *schedulingv1.ModifyMessageRequest) (*schedulingv1.ModifyMessageResponse, error) {
	m, err := s.app.ModifyMessage(ctx, r.GetMessageId(), message(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyMessageResponse{Message: messagePB(m)}, nil
}

// DeleteMessage is DELETE /message.
func (s *Scheduler) DeleteMessage(ctx context.Context, r *schedulingv1.DeleteMessageRequest) (*schedulingv1.DeleteMessageResponse, error) {
	return &schedulingv1.DeleteMessageResponse{}, s.app.DeleteMessage(ctx, r.GetMessageId())
}

// ListMessages is GET /message/list_details.
func (s *Scheduler) ListMessages(ctx context.Context, r *schedulingv1.ListMessagesRequest) (*schedulingv1.ListMessagesResponse, error) {
	ms, err := s.app.Messages(ctx, app.RecordFilter{IDs: r.GetMessageId(), EntityID: r.GetEntityId(), Category: r.GetCategory()})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListMessagesResponse{Messages: each(ms, messagePB)}, nil
}

// CreateAlertSchedule is POST /alert_schedule/new: the alert fires once at alert_datetime.
func (s *Scheduler) CreateAlertSchedule(ctx context.Context, r *schedulingv1.CreateAlertScheduleRequest) (*schedulingv1.CreateAlertScheduleResponse, error) {
	a, err := s.app.CreateAlertSchedule(ctx, alertSchedule(r.GetAlertScheduleDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateAlertScheduleResponse{AlertScheduleId: a.ID, AlertSchedule: alertSchedulePB(a)}, nil
}

// ModifyAlertSchedule is PUT /alert_schedule/modifications; a pending alert moves with it.
func (s *Scheduler) ModifyAlertSchedule(ctx context.Context, r *schedulingv1.ModifyAlertScheduleRequest) (*schedulingv1.ModifyAlertScheduleResponse, error) {
	a, err := s.app.ModifyAlertSchedule(ctx, r.GetAlertScheduleId(), alertSchedule(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyAlertScheduleResponse{AlertSchedule: alertSchedulePB(a)}, nil
}

// DeleteAlertSchedule is DELETE /alert_schedule; a pending alert is cancelled.
func (s *Scheduler) DeleteAlertSchedule(ctx context.Context, r *schedulingv1.DeleteAlertScheduleRequest) (*schedulingv1.DeleteAlertScheduleResponse, error) {
	return &schedulingv1.DeleteAlertScheduleResponse{}, s.app.DeleteAlertSchedule(ctx, r.GetAlertScheduleId())
}

// ListAlertSchedules is GET /alert_schedule/list_details (from/to filter alert_datetime).
func (s *Scheduler) ListAlertSchedules(ctx context.Context, r *schedulingv1.ListAlertSchedulesRequest) (*schedulingv1.ListAlertSchedulesResponse, error) {
	from, to, err := domain.ParseTimeFilter(r.GetFrom(), r.GetTo())
	if err != nil {
		return nil, err
	}
	as, err := s.app.AlertSchedules(ctx, app.RecordFilter{IDs: r.GetAlertScheduleId(), EntityID: r.GetEntityId(),
		Category: r.GetTargetCategory(), From: from, To: to})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListAlertSchedulesResponse{AlertSchedules: each(as, alertSchedulePB)}, nil
}

// CreateLog is POST /log/new.
func (s *Scheduler) CreateLog(ctx context.Context, r *schedulingv1.CreateLogRequest) (*schedulingv1.CreateLogResponse, error) {
	l, err := s.app.CreateLog(ctx, logEntry(r.GetLogDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.CreateLogResponse{LogId: l.ID, Log: logEntryPB(l)}, nil
}

// ModifyLog is PUT /log/modifications.
func (s *Scheduler) ModifyLog(ctx context.Context, r *schedulingv1.ModifyLogRequest) (*schedulingv1.ModifyLogResponse, error) {
	l, err := s.app.ModifyLog(ctx, r.GetLogId(), logEntry(r.GetDetails()))
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ModifyLogResponse{Log: logEntryPB(l)}, nil
}

// DeleteLog is DELETE /log.
func (s *Scheduler) DeleteLog(ctx context.Context, r *schedulingv1.DeleteLogRequest) (*schedulingv1.DeleteLogResponse, error) {
	return &schedulingv1.DeleteLogResponse{}, s.app.DeleteLog(ctx, r.GetLogId())
}

// ListLogs is GET /log/list_details (from/to filter datetime).
func (s *Scheduler) ListLogs(ctx context.Context, r *schedulingv1.ListLogsRequest) (*schedulingv1.ListLogsResponse, error) {
	from, to, err := domain.ParseTimeFilter(r.GetFrom(), r.GetTo())
	if err != nil {
		return nil, err
	}
	ls, err := s.app.Logs(ctx, app.RecordFilter{IDs: r.GetLogId(), EntityID: r.GetEntityId(), Category: r.GetCategory(), From: from, To: to})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.ListLogsResponse{Logs: each(ls, logEntryPB)}, nil
}
