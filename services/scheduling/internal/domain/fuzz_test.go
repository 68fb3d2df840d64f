package domain

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// The parsers of what callers send (times, ranges, filters, working hours, ids, statuses, subscribers, time
// zones): any input is either accepted with the documented bounds, or refused as a 400 that names the field
// in words a person can read (valid UTF-8: a status message that is not would lose its details on the
// wire) — never a panic or another kind of error. `go test` runs the seeds; `go test -fuzz FuzzX` explores.

// wantInvalid asserts err is InvalidArgument with a violation on one of fields, and readable when in is.
func wantInvalid(t *testing.T, err error, in string, fields ...string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindInvalidArgument {
		t.Fatalf("%v is not InvalidArgument", err)
	}
	if utf8.ValidString(in) && !utf8.ValidString(e.Message) {
		t.Fatalf("message %q of valid UTF-8 input is not valid UTF-8", e.Message)
	}
	for _, v := range e.Violations {
		for _, f := range fields {
			if v.Field == f && v.Description != "" {
				return
			}
		}
	}
	t.Fatalf("%v: no violation on %v (%+v)", err, fields, e.Violations)
}

var timeSeeds = []string{"2027-03-29T09:00:00+03:00", "2027-03-29T06:00:00Z", "2027-03-29T09:00:00.123456789-00:30",
	"2027-03-29T09:00:00", "2027-03-29", " 2027-03-29T06:00:00Z ", "", "   ", "9999-12-31T23:59:59+23:59",
	"0000-01-01T00:00:00Z", "2027-02-30T00:00:00Z", "2027-03-29T24:00:00Z", strings.Repeat("é", 60), "x" + strings.Repeat("é", 60), "\x00", "\xff"}

// FuzzParseTime: an accepted time is UTC and is the instant the input names (formatting it and parsing it
// again gives it back).
func FuzzParseTime(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseTime("start_time", in)
		if err != nil {
			wantInvalid(t, err, in, "start_time")
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) = %v, not UTC", in, got)
		}
		again, err := ParseTime("start_time", got.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(got) {
			t.Fatalf("ParseTime(%q) = %v; formatted and parsed again %v, %v", in, got, again, err)
		}
	})
}

// FuzzParseRange: an accepted slot range is UTC, not empty and at most MaxSlotRange long.
func FuzzParseRange(f *testing.F) {
	f.Add("2027-03-29T00:00:00Z", "2027-03-30T00:00:00Z")
	f.Add("2027-03-29T00:00:00+03:00", "2027-04-29T00:00:00+03:00")
	f.Add("2027-03-30T00:00:00Z", "2027-03-29T00:00:00Z")
	f.Add("2027-03-29T00:00:00Z", "2027-03-29T00:00:00Z")
	f.Add("", "2027-03-29T00:00:00Z")
	f.Add("2027-03-29", "x")
	f.Fuzz(func(t *testing.T, from, to string) {
		iv, err := ParseRange(from, to)
		if err != nil {
			wantInvalid(t, err, from+to, "from", "to")
			return
		}
		if iv.Start.Location() != time.UTC || iv.End.Location() != time.UTC || !iv.End.After(iv.Start) || iv.End.Sub(iv.Start) > MaxSlotRange {
			t.Fatalf("ParseRange(%q, %q) = %v", from, to, iv)
		}
	})
}

// FuzzParseLeave: accepted leave ends after it starts, at most a year later.
func FuzzParseLeave(f *testing.F) {
	f.Add("2027-07-01T00:00:00+03:00", "2027-07-15T00:00:00+03:00")
	f.Add("2027-07-01T00:00:00Z", "2028-07-02T00:00:00Z")
	f.Add("2027-07-01T00:00:00Z", "2027-07-01T00:00:00Z")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, from, to string) {
		iv, err := ParseLeave(from, to)
		if err != nil {
			wantInvalid(t, err, from+to, "from", "to")
			return
		}
		if !iv.End.After(iv.Start) || iv.End.Sub(iv.Start) > maxLeaveDays*24*time.Hour {
			t.Fatalf("ParseLeave(%q, %q) = %v", from, to, iv)
		}
	})
}

// FuzzParseTimeFilter: an open end (blank) is nil, a given one the time it names.
func FuzzParseTimeFilter(f *testing.F) {
	f.Add("", "")
	f.Add("2027-03-29T00:00:00Z", " ")
	f.Add("2027-03-29T00:00:00+03:00", "2026-01-01T00:00:00Z")
	f.Add("yesterday", "")
	f.Fuzz(func(t *testing.T, from, to string) {
		f, tt, err := ParseTimeFilter(from, to)
		if err != nil {
			wantInvalid(t, err, from+to, "from", "to")
			return
		}
		for _, c := range []struct {
			in string
			at *time.Time
		}{{from, f}, {to, tt}} {
			if blank := strings.TrimSpace(c.in) == ""; blank != (c.at == nil) {
				t.Fatalf("ParseTimeFilter(%q, %q): %q gave %v", from, to, c.in, c.at)
			}
		}
	})
}

// FuzzParseHours: accepted working hours are a weekday and a non-empty period within the local day.
func FuzzParseHours(f *testing.F) {
	f.Add(1, "09:00", "17:00")
	f.Add(0, "00:00", "24:00")
	f.Add(7, "09:00", "17:00")
	f.Add(-1, "9:5", "10:60")
	f.Add(3, "17:00", "09:00")
	f.Add(2, "", "x")
	f.Fuzz(func(t *testing.T, weekday int, start, end string) {
		h, err := ParseHours(2, weekday, start, end)
		if err != nil {
			wantInvalid(t, err, start+end, "work_days_hours[2]")
			return
		}
		if h.Weekday < time.Sunday || h.Weekday > time.Saturday || h.StartMinute < 0 || h.StartMinute >= h.EndMinute || h.EndMinute > 1440 {
			t.Fatalf("ParseHours(%d, %q, %q) = %+v", weekday, start, end, h)
		}
	})
}

// FuzzParseStatus: an accepted status filter is one of the states, or empty for any.
func FuzzParseStatus(f *testing.F) {
	for _, s := range []string{"", "booked", " CHECKED_IN ", "cancelled", "canceled", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		st, err := ParseStatus(in)
		if err != nil {
			wantInvalid(t, err, in, "status")
			return
		}
		switch st {
		case "", StatusBooked, StatusCheckedIn, StatusCancelled:
		default:
			t.Fatalf("ParseStatus(%q) = %q", in, st)
		}
	})
}

// FuzzCheckID: an accepted id is a UUID, so it reaches Postgres' uuid columns as one.
func FuzzCheckID(f *testing.F) {
	for _, s := range []string{"6f1c3b1e-2a4d-4c1e-9f1a-0b2c3d4e5f60", "{6f1c3b1e-2a4d-4c1e-9f1a-0b2c3d4e5f60}", "", "x", "6f1c3b1e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if err := CheckID("appointment_id", in); err != nil {
			wantInvalid(t, err, in, "appointment_id")
			return
		}
		if _, err := uuid.Parse(in); err != nil {
			t.Fatalf("CheckID accepted %q", in)
		}
	})
}

// FuzzCheckSubscriber: an accepted subscriber has an id, a name, and an e-mail that parses or a phone.
func FuzzCheckSubscriber(f *testing.F) {
	f.Add("liis", "Liis", "liis@example.org", "")
	f.Add("", " ", "not an address", "")
	f.Add("x", "X", "", "+372 5")
	f.Add("x", "X", "", "")
	f.Add("x", "X", "<a@b>", "")
	f.Fuzz(func(t *testing.T, id, name, email, phone string) {
		s := Subscriber{ID: id, Name: name, Email: email, Phone: phone}
		if err := CheckSubscriber(s); err != nil {
			wantInvalid(t, err, id+name+email+phone, "subscriber.subscriber_id", "subscriber.name", "subscriber.email")
			return
		}
		if strings.TrimSpace(id) == "" || strings.TrimSpace(name) == "" || (email == "" && phone == "") {
			t.Fatalf("CheckSubscriber accepted %+v", s)
		}
	})
}

// FuzzEntityTimeZone: an accepted entity's zone loads, is not the server's own, and slots can be derived in it.
func FuzzEntityTimeZone(f *testing.F) {
	for _, s := range []string{"Europe/Tallinn", "UTC", "Local", "", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "europe/tallinn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, zone string) {
		e := Entity{ID: "e", Name: "Clinic", TimeZone: zone}
		if err := e.Check(); err != nil {
			wantInvalid(t, err, zone, "time_zone")
			return
		}
		if zone == "" || zone == "Local" {
			t.Fatalf("zone %q accepted", zone)
		}
		a := Affiliation{Resource: Resource{ID: "r"}, Entity: e, Hours: []Hours{{Weekday: time.Monday, StartMinute: 0, EndMinute: 1440}}}
		day := time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)
		if _, err := DeriveSlots(a, day, day.Add(24*time.Hour), nil); err != nil {
			t.Fatalf("zone %q accepted, but no slots: %v", zone, err)
		}
	})
}

// FuzzHostedEventCheck: an accepted GovStack event's times parse, and it is listed at its start.
func FuzzHostedEventCheck(f *testing.F) {
	f.Add("Fair", "2027-04-01T09:00:00+03:00", "2027-04-01T12:00:00+03:00", "2027-03-25T00:00:00Z")
	f.Add("Fair", "2027-04-01T12:00:00Z", "2027-04-01T09:00:00Z", "")
	f.Add("", "", "", "soon")
	f.Fuzz(func(t *testing.T, name, from, to, deadline string) {
		e := HostedEvent{Name: name, From: from, To: to, Deadline: deadline}
		idx, err := e.Check()
		if err != nil {
			wantInvalid(t, err, name+from+to+deadline, "name", "from", "to", "deadline")
			return
		}
		start, _ := ParseOptionalTime("from", from)
		if (idx.At == nil) != start.IsZero() || (idx.At != nil && !idx.At.Equal(start)) {
			t.Fatalf("event from %q indexed at %v", from, idx.At)
		}
	})
}
