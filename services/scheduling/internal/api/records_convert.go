package api

import (
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// GovStack's records between their protobuf messages and the domain. A missing message (no body sent) is an
// empty record, so validation names the missing field.

func hostedEvent(m *schedulingv1.Event) domain.HostedEvent {
	e := domain.HostedEvent{ID: m.GetEventId(), Name: m.GetName(), Description: m.GetDescription(), Category: m.GetCategory(),
		HostEntityID: m.GetHostEntityId(), From: m.GetFrom(), To: m.GetTo(), Deadline: m.GetDeadline(),
		SubscriberLimit: m.GetSubscriberLimit(), Terms: m.GetTerms(), Status: m.GetStatus()}
	if v := m.GetVenue(); v != nil {
		e.Venue = &domain.Venue{Building: v.GetBuilding(), Street: v.GetStreet(), Area: v.GetArea(), City: v.GetCity(),
			State: v.GetState(), Country: v.GetCountry(), Lat: v.GetLat(), Long: v.GetLong()}
	}
	return e
}

func hostedEventPB(e domain.HostedEvent) *schedulingv1.Event {
	m := &schedulingv1.Event{EventId: e.ID, Name: e.Name, Description: e.Description, Category: e.Category,
		HostEntityId: e.HostEntityID, From: e.From, To: e.To, Deadline: e.Deadline, SubscriberLimit: e.SubscriberLimit,
		Terms: e.Terms, Status: e.Status}
	if v := e.Venue; v != nil {
		m.Venue = &schedulingv1.Venue{Building: v.Building, Street: v.Street, Area: v.Area, City: v.City, State: v.State,
			Country: v.Country, Lat: v.Lat, Long: v.Long}
	}
	return m
}

func message(m *schedulingv1.Message) domain.Message {
	return domain.Message{ID: m.GetMessageId(), EntityID: m.GetEntityId(), Category: m.GetCategory(), Body: m.GetMessageBody()}
}

func messagePB(m domain.Message) *schedulingv1.Message {
	return &schedulingv1.Message{MessageId: m.ID, EntityId: m.EntityID, Category: m.Category, MessageBody: m.Body}
}

func alertSchedule(m *schedulingv1.AlertSchedule) domain.AlertSchedule {
	a := domain.AlertSchedule{ID: m.GetAlertScheduleId(), EventID: m.GetEventId(), EntityID: m.GetEntityId(),
		TargetCategory: m.GetTargetCategory(), MessageID: m.GetMessageId(), AlertDatetime: m.GetAlertDatetime()}
	if len(m.GetRecipients()) > 0 {
		a.Recipients = recipients(m.GetRecipients())
	}
	return a
}

func alertSchedulePB(a domain.AlertSchedule) *schedulingv1.AlertSchedule {
	return &schedulingv1.AlertSchedule{AlertScheduleId: a.ID, EventId: a.EventID, EntityId: a.EntityID,
		TargetCategory: a.TargetCategory, MessageId: a.MessageID, AlertDatetime: a.AlertDatetime, Recipients: recipientsPB(a.Recipients)}
}

func logEntry(m *schedulingv1.LogEntry) domain.LogEntry {
	return domain.LogEntry{ID: m.GetLogId(), LoggerRole: m.GetLoggerRole(), LoggerID: m.GetLoggerId(), EntityID: m.GetEntityId(),
		Category: m.GetLogCategory(), Datetime: m.GetDatetime(), Data: m.GetLogData()}
}

func logEntryPB(l domain.LogEntry) *schedulingv1.LogEntry {
	return &schedulingv1.LogEntry{LogId: l.ID, LoggerRole: l.LoggerRole, LoggerId: l.LoggerID, EntityId: l.EntityID,
		LogCategory: l.Category, Datetime: l.Datetime, LogData: l.Data}
}

func recipientsPB(rs []domain.Recipient) []*schedulingv1.Recipient {
	if len(rs) == 0 {
		return nil
	}
	out := make([]*schedulingv1.Recipient, 0, len(rs))
	for _, r := range rs {
		out = append(out, &schedulingv1.Recipient{Email: r.Email, Phone: r.Phone})
	}
	return out
}

// each converts a list with f.
func each[D, M any](ds []D, f func(D) M) []M {
	out := make([]M, 0, len(ds))
	for _, d := range ds {
		out = append(out, f(d))
	}
	return out
}
