package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/encoding/protojson"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// The timer subjects of record-driven timers: the reference is the event or alert schedule id.
const (
	eventDeadlineSubject = "event.deadline"
	alertScheduleSubject = "alert_schedule"
)

var eventSpec = recordSpec[*schedulingv1.Event]{
	kind:  "event",
	fresh: func() *schedulingv1.Event { return &schedulingv1.Event{} },
	getID: (*schedulingv1.Event).GetEventId,
	setID: func(m *schedulingv1.Event, id string) { m.EventId = id },
	columns: func(m *schedulingv1.Event) (store.Record, error) {
		if err := domain.Required("name", m.GetName()); err != nil {
			return store.Record{}, err
		}
		from, to, err := TimeFilter(m.GetFrom(), m.GetTo())
		if err != nil {
			return store.Record{}, err
		}
		if from != nil && to != nil && !to.After(*from) {
			return store.Record{}, apierr.Invalid(domain.ReasonInvalidTime, "to must be after from", apierr.FieldViolation{Field: "to", Description: "must be after from"})
		}
		if _, err := domain.ParseOptionalTime("deadline", m.GetDeadline()); err != nil {
			return store.Record{}, err
		}
		return store.Record{EntityID: m.GetHostEntityId(), Category: m.GetCategory(), Name: m.GetName(), At: from}, nil
	},
	sync: func(ctx context.Context, tx pgx.Tx, m *schedulingv1.Event) error {
		if err := store.CancelTimersFor(ctx, tx, domain.TimerDeadline, eventDeadlineSubject, m.GetEventId()); err != nil {
			return err
		}
		due, _ := domain.ParseOptionalTime("deadline", m.GetDeadline()) // checked by columns
		if due.IsZero() {
			return nil
		}
		return store.InsertTimer(ctx, tx, domain.Timer{ID: uuid.NewString(), Kind: domain.TimerDeadline, FireAt: due,
			Subject: eventDeadlineSubject, Reference: m.GetEventId()})
	},
}

var messageSpec = recordSpec[*schedulingv1.Message]{
	kind:  "message",
	fresh: func() *schedulingv1.Message { return &schedulingv1.Message{} },
	getID: (*schedulingv1.Message).GetMessageId,
	setID: func(m *schedulingv1.Message, id string) { m.MessageId = id },
	columns: func(m *schedulingv1.Message) (store.Record, error) {
		if err := domain.Required("message_body", m.GetMessageBody()); err != nil {
			return store.Record{}, err
		}
		return store.Record{EntityID: m.GetEntityId(), Category: m.GetCategory()}, nil
	},
}

var alertScheduleSpec = recordSpec[*schedulingv1.AlertSchedule]{
	kind:  "alert_schedule",
	fresh: func() *schedulingv1.AlertSchedule { return &schedulingv1.AlertSchedule{} },
	getID: (*schedulingv1.AlertSchedule).GetAlertScheduleId,
	setID: func(m *schedulingv1.AlertSchedule, id string) { m.AlertScheduleId = id },
	columns: func(m *schedulingv1.AlertSchedule) (store.Record, error) {
		at, err := domain.ParseTime("alert_datetime", m.GetAlertDatetime())
		if err != nil {
			return store.Record{}, err
		}
		return store.Record{EntityID: m.GetEntityId(), Category: m.GetTargetCategory(), At: &at}, nil
	},
	sync: func(ctx context.Context, tx pgx.Tx, m *schedulingv1.AlertSchedule) error {
		if err := store.CancelTimersFor(ctx, tx, domain.TimerAlertSchedule, alertScheduleSubject, m.GetAlertScheduleId()); err != nil {
			return err
		}
		at, _ := domain.ParseTime("alert_datetime", m.GetAlertDatetime()) // checked by columns
		body, err := messageBody(ctx, tx, m.GetMessageId())
		if err != nil {
			return err
		}
		var rs []domain.Recipient
		for _, r := range m.GetRecipients() {
			rs = append(rs, domain.Recipient{Email: r.GetEmail(), Phone: r.GetPhone()})
		}
		return store.InsertTimer(ctx, tx, domain.Timer{ID: uuid.NewString(), Kind: domain.TimerAlertSchedule, FireAt: at,
			Subject: alertScheduleSubject, Reference: m.GetAlertScheduleId(), Message: body, Recipients: rs})
	},
	prepare: func(stored, patch *schedulingv1.AlertSchedule) {
		if len(patch.GetRecipients()) > 0 {
			stored.Recipients = nil
		}
	},
	private: true,
}

// messageBody reads the text of a GovStack message for an alert; the body is copied into the timer, so
// the alert says what the message said when the alert was scheduled.
func messageBody(ctx context.Context, tx pgx.Tx, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	raw, err := store.LockRecord(ctx, tx, "message", id)
	if err != nil {
		return "", apierr.Invalid(domain.ReasonInvalidInput, "message_id "+id+" does not exist",
			apierr.FieldViolation{Field: "message_id", Description: "must name an existing message"})
	}
	var m schedulingv1.Message
	if err := protojson.Unmarshal(raw, &m); err != nil {
		return "", err
	}
	return m.GetMessageBody(), nil
}

var logSpec = recordSpec[*schedulingv1.LogEntry]{
	kind:  "log",
	fresh: func() *schedulingv1.LogEntry { return &schedulingv1.LogEntry{} },
	getID: (*schedulingv1.LogEntry).GetLogId,
	setID: func(m *schedulingv1.LogEntry, id string) { m.LogId = id },
	columns: func(m *schedulingv1.LogEntry) (store.Record, error) {
		at, err := domain.ParseOptionalTime("datetime", m.GetDatetime())
		if err != nil {
			return store.Record{}, err
		}
		return store.Record{EntityID: m.GetEntityId(), Category: m.GetLogCategory(), At: timePtr(at)}, nil
	},
	private: true,
}

// CreateEvent stores an event (and its deadline timer).
func (s *Service) CreateEvent(ctx context.Context, m *schedulingv1.Event) (*schedulingv1.Event, error) {
	return createRecord(ctx, s, eventSpec, m)
}

// ModifyEvent patches an event (and moves its deadline timer).
func (s *Service) ModifyEvent(ctx context.Context, id string, m *schedulingv1.Event) (*schedulingv1.Event, error) {
	return modifyRecord(ctx, s, eventSpec, id, m)
}

// Events lists events.
func (s *Service) Events(ctx context.Context, f store.RecordFilter) ([]*schedulingv1.Event, error) {
	return listRecords(ctx, s, eventSpec, f)
}

// CreateMessage stores a message.
func (s *Service) CreateMessage(ctx context.Context, m *schedulingv1.Message) (*schedulingv1.Message, error) {
	return createRecord(ctx, s, messageSpec, m)
}

// ModifyMessage patches a message.
func (s *Service) ModifyMessage(ctx context.Context, id string, m *schedulingv1.Message) (*schedulingv1.Message, error) {
	return modifyRecord(ctx, s, messageSpec, id, m)
}

// Messages lists messages.
func (s *Service) Messages(ctx context.Context, f store.RecordFilter) ([]*schedulingv1.Message, error) {
	return listRecords(ctx, s, messageSpec, f)
}

// CreateAlertSchedule stores an alert schedule and its timer.
func (s *Service) CreateAlertSchedule(ctx context.Context, m *schedulingv1.AlertSchedule) (*schedulingv1.AlertSchedule, error) {
	return createRecord(ctx, s, alertScheduleSpec, m)
}

// ModifyAlertSchedule patches an alert schedule and moves its timer.
func (s *Service) ModifyAlertSchedule(ctx context.Context, id string, m *schedulingv1.AlertSchedule) (*schedulingv1.AlertSchedule, error) {
	return modifyRecord(ctx, s, alertScheduleSpec, id, m)
}

// AlertSchedules lists alert schedules.
func (s *Service) AlertSchedules(ctx context.Context, f store.RecordFilter) ([]*schedulingv1.AlertSchedule, error) {
	return listRecords(ctx, s, alertScheduleSpec, f)
}

// CreateLog stores a log entry (datetime now when not given).
func (s *Service) CreateLog(ctx context.Context, m *schedulingv1.LogEntry) (*schedulingv1.LogEntry, error) {
	if m.GetDatetime() == "" {
		m.Datetime = s.now().UTC().Format("2006-01-02T15:04:05Z07:00")
	}
	return createRecord(ctx, s, logSpec, m)
}

// ModifyLog patches a log entry.
func (s *Service) ModifyLog(ctx context.Context, id string, m *schedulingv1.LogEntry) (*schedulingv1.LogEntry, error) {
	return modifyRecord(ctx, s, logSpec, id, m)
}

// Logs lists log entries.
func (s *Service) Logs(ctx context.Context, f store.RecordFilter) ([]*schedulingv1.LogEntry, error) {
	return listRecords(ctx, s, logSpec, f)
}
