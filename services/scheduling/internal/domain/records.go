package domain

import (
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// RecordKind names one of GovStack's event, message, alert_schedule and log resources. Nothing in the
// booking model depends on them, so they are kept alike: the record as given plus what lists filter by.
type RecordKind string

// The record kinds, as GovStack names them (and its ids: event_id, message_id, ...).
const (
	KindEvent         RecordKind = "event"
	KindMessage       RecordKind = "message"
	KindAlertSchedule RecordKind = "alert_schedule"
	KindLog           RecordKind = "log"
)

// Private says whether records of k hold personal data that belongs to no one subscriber (alert
// recipients' contacts, log data): none of them is a citizen's own.
func (k RecordKind) Private() bool { return k == KindAlertSchedule || k == KindLog }

// Plural names records of k in messages: "alert schedules".
func (k RecordKind) Plural() string { return strings.ReplaceAll(string(k), "_", " ") + "s" }

// Record is one GovStack record.
type Record interface {
	RecordKind() RecordKind
	RecordID() string
	// Check validates the record and returns what lists filter it by.
	Check() (RecordIndex, error)
}

// RecordIndex is what lists of records filter by: the entity, a category, a name and a time.
type RecordIndex struct {
	EntityID, Category, Name string
	At                       *time.Time
}

// The JSON names below are GovStack's field names: records are stored as that JSON, as they always were.

// HostedEvent is GovStack's event: something an entity hosts that subscribers attend. Times are RFC 3339,
// kept as given.
type HostedEvent struct {
	ID              string `json:"event_id,omitempty"`
	Name            string `json:"name,omitempty"`
	Description     string `json:"description,omitempty"`
	Category        string `json:"category,omitempty"`
	HostEntityID    string `json:"host_entity_id,omitempty"`
	From            string `json:"from,omitempty"`
	To              string `json:"to,omitempty"`
	Deadline        string `json:"deadline,omitempty"` // a deadline timer fires deadline.reached then
	SubscriberLimit string `json:"subscriber_limit,omitempty"`
	Terms           string `json:"terms,omitempty"`
	Status          string `json:"status,omitempty"`
	Venue           *Venue `json:"venue,omitempty"`
}

// Venue is where an event takes place.
type Venue struct {
	Building string `json:"building,omitempty"`
	Street   string `json:"street,omitempty"`
	Area     string `json:"area,omitempty"`
	City     string `json:"city,omitempty"`
	State    string `json:"state,omitempty"`
	Country  string `json:"country,omitempty"`
	Lat      string `json:"lat,omitempty"`
	Long     string `json:"long,omitempty"`
}

// RecordKind is KindEvent.
func (HostedEvent) RecordKind() RecordKind { return KindEvent }

// RecordID is the event id.
func (e HostedEvent) RecordID() string { return e.ID }

// Check requires a name and valid times, to after from.
func (e HostedEvent) Check() (RecordIndex, error) {
	if err := Required("name", e.Name); err != nil {
		return RecordIndex{}, err
	}
	from, to, err := ParseTimeFilter(e.From, e.To)
	if err != nil {
		return RecordIndex{}, err
	}
	if from != nil && to != nil && !to.After(*from) {
		return RecordIndex{}, apierr.Invalid(ReasonInvalidTime, "to must be after from", apierr.FieldViolation{Field: "to", Description: "must be after from"})
	}
	if _, err := ParseOptionalTime("deadline", e.Deadline); err != nil {
		return RecordIndex{}, err
	}
	return RecordIndex{EntityID: e.HostEntityID, Category: e.Category, Name: e.Name, At: from}, nil
}

// DeadlineAt is when the event's deadline timer fires (zero: none). Check has validated it.
func (e HostedEvent) DeadlineAt() time.Time {
	due, _ := ParseOptionalTime("deadline", e.Deadline)
	return due
}

// Merge changes the fields patch gives; a given venue's fields change one by one.
func (e *HostedEvent) Merge(patch HostedEvent) {
	merge(&e.Name, patch.Name)
	merge(&e.Description, patch.Description)
	merge(&e.Category, patch.Category)
	merge(&e.HostEntityID, patch.HostEntityID)
	merge(&e.From, patch.From)
	merge(&e.To, patch.To)
	merge(&e.Deadline, patch.Deadline)
	merge(&e.SubscriberLimit, patch.SubscriberLimit)
	merge(&e.Terms, patch.Terms)
	merge(&e.Status, patch.Status)
	if patch.Venue == nil {
		return
	}
	if e.Venue == nil {
		e.Venue = &Venue{}
	}
	e.Venue.merge(*patch.Venue)
}

func (v *Venue) merge(p Venue) {
	merge(&v.Building, p.Building)
	merge(&v.Street, p.Street)
	merge(&v.Area, p.Area)
	merge(&v.City, p.City)
	merge(&v.State, p.State)
	merge(&v.Country, p.Country)
	merge(&v.Lat, p.Lat)
	merge(&v.Long, p.Long)
}

// Message is GovStack's message: a text an alert schedule sends, addressed to no one.
type Message struct {
	ID       string `json:"message_id,omitempty"`
	EntityID string `json:"entity_id,omitempty"`
	Category string `json:"category,omitempty"`
	Body     string `json:"message_body,omitempty"`
}

// RecordKind is KindMessage.
func (Message) RecordKind() RecordKind { return KindMessage }

// RecordID is the message id.
func (m Message) RecordID() string { return m.ID }

// Check requires a body.
func (m Message) Check() (RecordIndex, error) {
	if err := Required("message_body", m.Body); err != nil {
		return RecordIndex{}, err
	}
	return RecordIndex{EntityID: m.EntityID, Category: m.Category}, nil
}

// Merge changes the fields patch gives.
func (m *Message) Merge(patch Message) {
	merge(&m.EntityID, patch.EntityID)
	merge(&m.Category, patch.Category)
	merge(&m.Body, patch.Body)
}

// AlertSchedule is GovStack's alert_schedule: at AlertDatetime a message goes to Recipients, once.
type AlertSchedule struct {
	ID             string      `json:"alert_schedule_id,omitempty"`
	EventID        string      `json:"event_id,omitempty"`
	EntityID       string      `json:"entity_id,omitempty"`
	TargetCategory string      `json:"target_category,omitempty"`
	MessageID      string      `json:"message_id,omitempty"`
	AlertDatetime  string      `json:"alert_datetime,omitempty"`
	Recipients     []Recipient `json:"recipients,omitempty"`
}

// RecordKind is KindAlertSchedule.
func (AlertSchedule) RecordKind() RecordKind { return KindAlertSchedule }

// RecordID is the alert schedule id.
func (a AlertSchedule) RecordID() string { return a.ID }

// Check requires when the alert fires.
func (a AlertSchedule) Check() (RecordIndex, error) {
	at, err := ParseTime("alert_datetime", a.AlertDatetime)
	if err != nil {
		return RecordIndex{}, err
	}
	return RecordIndex{EntityID: a.EntityID, Category: a.TargetCategory, At: &at}, nil
}

// FireAt is when the alert fires; Check has validated it.
func (a AlertSchedule) FireAt() time.Time {
	at, _ := ParseTime("alert_datetime", a.AlertDatetime)
	return at
}

// Merge changes the fields patch gives; given recipients replace the stored ones (appending would send the
// alert twice to whoever is in both lists).
func (a *AlertSchedule) Merge(patch AlertSchedule) {
	merge(&a.EventID, patch.EventID)
	merge(&a.EntityID, patch.EntityID)
	merge(&a.TargetCategory, patch.TargetCategory)
	merge(&a.MessageID, patch.MessageID)
	merge(&a.AlertDatetime, patch.AlertDatetime)
	if len(patch.Recipients) > 0 {
		a.Recipients = patch.Recipients
	}
}

// LogEntry is GovStack's log record.
type LogEntry struct {
	ID         string `json:"log_id,omitempty"`
	LoggerRole string `json:"logger_role,omitempty"`
	LoggerID   string `json:"logger_id,omitempty"`
	EntityID   string `json:"entity_id,omitempty"`
	Category   string `json:"log_category,omitempty"`
	Datetime   string `json:"datetime,omitempty"`
	Data       string `json:"log_data,omitempty"`
}

// RecordKind is KindLog.
func (LogEntry) RecordKind() RecordKind { return KindLog }

// RecordID is the log id.
func (l LogEntry) RecordID() string { return l.ID }

// Check validates the time, when given.
func (l LogEntry) Check() (RecordIndex, error) {
	at, err := ParseOptionalTime("datetime", l.Datetime)
	if err != nil {
		return RecordIndex{}, err
	}
	return RecordIndex{EntityID: l.EntityID, Category: l.Category, At: timePtr(at)}, nil
}

// Merge changes the fields patch gives.
func (l *LogEntry) Merge(patch LogEntry) {
	merge(&l.LoggerRole, patch.LoggerRole)
	merge(&l.LoggerID, patch.LoggerID)
	merge(&l.EntityID, patch.EntityID)
	merge(&l.Category, patch.Category)
	merge(&l.Datetime, patch.Datetime)
	merge(&l.Data, patch.Data)
}
