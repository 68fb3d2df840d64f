package domain

import (
	"slices"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// A modification changes only the fields it gives; a venue's fields change one by one, and given
// recipients replace the stored ones.
func TestRecordMerge(t *testing.T) {
	e := HostedEvent{ID: "e1", Name: "Fair", Terms: "old", Venue: &Venue{City: "Tallinn", Lat: "59"}}
	e.Merge(HostedEvent{ID: "other", Terms: "new", Venue: &Venue{Street: "Main"}})
	if e.ID != "e1" || e.Name != "Fair" || e.Terms != "new" || *e.Venue != (Venue{City: "Tallinn", Street: "Main", Lat: "59"}) {
		t.Errorf("merged event %+v venue %+v", e, e.Venue)
	}
	noVenue := HostedEvent{Name: "x"}
	if noVenue.Merge(HostedEvent{Venue: &Venue{}}); noVenue.Venue == nil {
		t.Error("a given empty venue is kept as an empty venue")
	}
	a := AlertSchedule{AlertDatetime: "2027-01-01T00:00:00Z", Recipients: []Recipient{{Email: "a@x"}, {Email: "b@x"}}}
	a.Merge(AlertSchedule{MessageID: "m1"})
	if a.MessageID != "m1" || len(a.Recipients) != 2 {
		t.Errorf("no recipients given: %+v", a)
	}
	a.Merge(AlertSchedule{Recipients: []Recipient{{Email: "c@x"}}})
	if !slices.Equal(a.Recipients, []Recipient{{Email: "c@x"}}) {
		t.Errorf("recipients given: %+v", a.Recipients)
	}
}

func TestRecordCheck(t *testing.T) {
	for _, c := range []struct {
		name  string
		rec   Record
		field string // "" = valid
	}{
		{"event", HostedEvent{Name: "Fair", From: "2027-01-01T09:00:00Z", To: "2027-01-01T10:00:00Z"}, ""},
		{"event without name", HostedEvent{}, "name"},
		{"event ending before it starts", HostedEvent{Name: "F", From: "2027-01-01T09:00:00Z", To: "2027-01-01T08:00:00Z"}, "to"},
		{"event with a bad deadline", HostedEvent{Name: "F", Deadline: "tomorrow"}, "deadline"},
		{"message", Message{Body: "Hi"}, ""},
		{"message without body", Message{}, "message_body"},
		{"alert", AlertSchedule{AlertDatetime: "2027-01-01T09:00:00+02:00"}, ""},
		{"alert without time", AlertSchedule{}, "alert_datetime"},
		{"log", LogEntry{}, ""},
		{"log with a local time", LogEntry{Datetime: "2027-01-01T09:00:00"}, "datetime"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.rec.Check()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e, ok := apierr.As(err); !ok || e.Kind != apierr.KindInvalidArgument || len(e.Violations) == 0 || e.Violations[0].Field != c.field {
				t.Fatalf("%v, want a violation on %s", err, c.field)
			}
		})
	}
}

func TestRecordIndex(t *testing.T) {
	idx, err := HostedEvent{Name: "Fair", HostEntityID: "h", Category: "c", From: "2027-01-01T09:00:00+02:00"}.Check()
	if err != nil || idx.EntityID != "h" || idx.Category != "c" || idx.Name != "Fair" || idx.At == nil || idx.At.Hour() != 7 {
		t.Fatalf("index %+v, %v", idx, err)
	}
	if idx, _ := (LogEntry{}).Check(); idx.At != nil {
		t.Errorf("a log without a time is indexed at %v", idx.At)
	}
}
