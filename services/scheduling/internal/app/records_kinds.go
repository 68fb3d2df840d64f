package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

var eventSpec = recordSpec[domain.HostedEvent]{
	kind:  domain.KindEvent,
	setID: func(r *domain.HostedEvent, id string) { r.ID = id },
	merge: (*domain.HostedEvent).Merge,
	// An event's deadline timer moves with it.
	sync: func(ctx context.Context, tx Tx, e domain.HostedEvent) error {
		if err := tx.CancelTimersFor(ctx, domain.TimerDeadline, domain.SubjectEventDeadline, e.ID); err != nil {
			return err
		}
		due := e.DeadlineAt()
		if due.IsZero() {
			return nil
		}
		return tx.InsertTimer(ctx, domain.Timer{ID: newID(), Kind: domain.TimerDeadline, FireAt: due,
			Subject: domain.SubjectEventDeadline, Reference: e.ID})
	},
}

var messageSpec = recordSpec[domain.Message]{
	kind:  domain.KindMessage,
	setID: func(r *domain.Message, id string) { r.ID = id },
	merge: (*domain.Message).Merge,
}

var alertScheduleSpec = recordSpec[domain.AlertSchedule]{
	kind:  domain.KindAlertSchedule,
	setID: func(r *domain.AlertSchedule, id string) { r.ID = id },
	merge: (*domain.AlertSchedule).Merge,
	// An alert schedule's timer moves with it, carrying the message's text.
	sync: func(ctx context.Context, tx Tx, a domain.AlertSchedule) error {
		if err := tx.CancelTimersFor(ctx, domain.TimerAlertSchedule, domain.SubjectAlertSchedule, a.ID); err != nil {
			return err
		}
		body, err := messageBody(ctx, tx, a.MessageID)
		if err != nil {
			return err
		}
		return tx.InsertTimer(ctx, domain.Timer{ID: newID(), Kind: domain.TimerAlertSchedule, FireAt: a.FireAt(),
			Subject: domain.SubjectAlertSchedule, Reference: a.ID, Message: body, Recipients: a.Recipients})
	},
}

// messageBody reads the text of a GovStack message for an alert; the body is copied into the timer, so
// the alert says what the message said when the alert was scheduled.
func messageBody(ctx context.Context, tx Tx, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	m, err := lockRecord[domain.Message](ctx, tx, domain.KindMessage, id)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return "", apierr.Invalid(domain.ReasonInvalidInput, "message_id "+id+" does not exist",
			apierr.FieldViolation{Field: "message_id", Description: "must name an existing message"})
	}
	return m.Body, err
}

var logSpec = recordSpec[domain.LogEntry]{
	kind:  domain.KindLog,
	setID: func(r *domain.LogEntry, id string) { r.ID = id },
	merge: (*domain.LogEntry).Merge,
}

// CreateEvent stores an event (and its deadline timer).
func (s *Service) CreateEvent(ctx context.Context, e domain.HostedEvent) (domain.HostedEvent, error) {
	return createRecord(ctx, s, eventSpec, e)
}

// ModifyEvent patches an event (and moves its deadline timer).
func (s *Service) ModifyEvent(ctx context.Context, id string, patch domain.HostedEvent) (domain.HostedEvent, error) {
	return modifyRecord(ctx, s, eventSpec, id, patch)
}

// Events lists events.
func (s *Service) Events(ctx context.Context, f RecordFilter) ([]domain.HostedEvent, error) {
	return listRecords[domain.HostedEvent](ctx, s, domain.KindEvent, f)
}

// DeleteEvent deletes an event and cancels its pending deadline.
func (s *Service) DeleteEvent(ctx context.Context, id string) error {
	return s.deleteRecord(ctx, domain.KindEvent, id)
}

// CreateMessage stores a message.
func (s *Service) CreateMessage(ctx context.Context, m domain.Message) (domain.Message, error) {
	return createRecord(ctx, s, messageSpec, m)
}

// ModifyMessage patches a message.
func (s *Service) ModifyMessage(ctx context.Context, id string, patch domain.Message) (domain.Message, error) {
	return modifyRecord(ctx, s, messageSpec, id, patch)
}

// Messages lists messages.
func (s *Service) Messages(ctx context.Context, f RecordFilter) ([]domain.Message, error) {
	return listRecords[domain.Message](ctx, s, domain.KindMessage, f)
}

// DeleteMessage deletes a message (alerts already scheduled keep its text).
func (s *Service) DeleteMessage(ctx context.Context, id string) error {
	return s.deleteRecord(ctx, domain.KindMessage, id)
}

// CreateAlertSchedule stores an alert schedule and its timer.
func (s *Service) CreateAlertSchedule(ctx context.Context, a domain.AlertSchedule) (domain.AlertSchedule, error) {
	return createRecord(ctx, s, alertScheduleSpec, a)
}

// ModifyAlertSchedule patches an alert schedule and moves its timer.
func (s *Service) ModifyAlertSchedule(ctx context.Context, id string, patch domain.AlertSchedule) (domain.AlertSchedule, error) {
	return modifyRecord(ctx, s, alertScheduleSpec, id, patch)
}

// AlertSchedules lists alert schedules.
func (s *Service) AlertSchedules(ctx context.Context, f RecordFilter) ([]domain.AlertSchedule, error) {
	return listRecords[domain.AlertSchedule](ctx, s, domain.KindAlertSchedule, f)
}

// DeleteAlertSchedule deletes an alert schedule and cancels its pending alert.
func (s *Service) DeleteAlertSchedule(ctx context.Context, id string) error {
	return s.deleteRecord(ctx, domain.KindAlertSchedule, id)
}

// CreateLog stores a log entry (datetime now when not given).
func (s *Service) CreateLog(ctx context.Context, l domain.LogEntry) (domain.LogEntry, error) {
	if l.Datetime == "" {
		l.Datetime = s.now().UTC().Format(time.RFC3339)
	}
	return createRecord(ctx, s, logSpec, l)
}

// ModifyLog patches a log entry.
func (s *Service) ModifyLog(ctx context.Context, id string, patch domain.LogEntry) (domain.LogEntry, error) {
	return modifyRecord(ctx, s, logSpec, id, patch)
}

// Logs lists log entries.
func (s *Service) Logs(ctx context.Context, f RecordFilter) ([]domain.LogEntry, error) {
	return listRecords[domain.LogEntry](ctx, s, domain.KindLog, f)
}

// DeleteLog deletes a log entry.
func (s *Service) DeleteLog(ctx context.Context, id string) error {
	return s.deleteRecord(ctx, domain.KindLog, id)
}
