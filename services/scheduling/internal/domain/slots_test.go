package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func allDay(tz string, days ...time.Weekday) Affiliation {
	a := Affiliation{Resource: Resource{ID: "r", SlotMinutes: 20}, Entity: Entity{ID: "e", TimeZone: tz}}
	for _, d := range days {
		a.Hours = append(a.Hours, Hours{Weekday: d, StartMinute: 0, EndMinute: 1440})
	}
	return a
}

// On the spring-forward day in Tallinn (2027-03-28, 03:00 → 04:00) a 00:00–24:00 day has 23 real hours,
// on the fall-back day (2027-10-31, 04:00 → 03:00) 25: slots follow the real clock, none overlap.
func TestDeriveSlotsOnDSTChangeDays(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Tallinn")
	for _, c := range []struct {
		day  time.Time
		want int
	}{
		{time.Date(2027, 3, 28, 0, 0, 0, 0, loc), 23 * 3},
		{time.Date(2027, 10, 31, 0, 0, 0, 0, loc), 25 * 3},
		{time.Date(2027, 3, 21, 0, 0, 0, 0, loc), 24 * 3},
	} {
		slots, err := DeriveSlots(allDay("Europe/Tallinn", time.Sunday), c.day, c.day.AddDate(0, 0, 1), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(slots) != c.want {
			t.Errorf("%s: %d slots, want %d", c.day.Format(time.DateOnly), len(slots), c.want)
		}
		for i := 1; i < len(slots); i++ {
			if !slots[i].Start.Equal(slots[i-1].End) {
				t.Fatalf("%s: gap or overlap between %v and %v", c.day.Format(time.DateOnly), slots[i-1], slots[i])
			}
		}
	}
}

func TestDeriveSlotsWorkingHoursAndExceptions(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Tallinn")
	a := Affiliation{Resource: Resource{ID: "doc", SlotMinutes: 20}, Entity: Entity{TimeZone: "Europe/Tallinn"},
		Hours: []Hours{{Weekday: time.Monday, StartMinute: 9 * 60, EndMinute: 17 * 60}}}
	mon := time.Date(2027, 3, 29, 0, 0, 0, 0, loc)
	leave := Interval{time.Date(2027, 3, 29, 12, 0, 0, 0, loc), time.Date(2027, 3, 29, 13, 0, 0, 0, loc)}
	slots, err := DeriveSlots(a, mon, mon.AddDate(0, 0, 7), []Interval{leave})
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 21 {
		t.Fatalf("%d slots, want 24 minus 3 on leave", len(slots))
	}
	if _, ok, _ := SlotAt(a, time.Date(2027, 3, 29, 12, 20, 0, 0, loc), []Interval{leave}); ok {
		t.Error("a slot during leave")
	}
	if _, ok, _ := SlotAt(a, time.Date(2027, 3, 29, 9, 10, 0, 0, loc), nil); ok {
		t.Error("a slot off the grid")
	}
	if s, ok, _ := SlotAt(a, time.Date(2027, 3, 29, 16, 40, 0, 0, loc), nil); !ok || !s.End.Equal(time.Date(2027, 3, 29, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("last slot = %v, %v", s, ok)
	}
	if _, err := DeriveSlots(Affiliation{Entity: Entity{TimeZone: "Mars/Olympus"}}, mon, mon, nil); err == nil {
		t.Error("unknown time zone accepted")
	}
}

func TestParseRangeAndTimes(t *testing.T) {
	for _, c := range [][2]string{{"", "2027-01-01T00:00:00Z"}, {"2027-01-01", "2027-01-02T00:00:00Z"},
		{"2027-01-02T00:00:00Z", "2027-01-01T00:00:00Z"}, {"2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z"}} {
		if _, err := ParseRange(c[0], c[1]); apierr.KindOf(err) != apierr.KindInvalidArgument {
			t.Errorf("ParseRange(%q, %q) = %v", c[0], c[1], err)
		}
	}
	iv, err := ParseRange("2027-03-29T09:00:00+03:00", "2027-03-29T10:00:00+03:00")
	if err != nil || !iv.Start.Equal(time.Date(2027, 3, 29, 6, 0, 0, 0, time.UTC)) || iv.Start.Location() != time.UTC {
		t.Errorf("ParseRange = %v, %v", iv, err)
	}
}

func TestBookingCodeAndHHMM(t *testing.T) {
	if a, b := NewBookingCode(), NewBookingCode(); len(a) != 8 || a == b {
		t.Errorf("codes %q %q", a, b)
	}
	if m, err := ParseHHMM("09:30"); err != nil || m != 570 {
		t.Errorf("09:30 = %d, %v", m, err)
	}
	for _, bad := range []string{"9", "25:00", "09:60", "x", "10:00pm", "9:05", "09:5", "+9:05", "-1:00", "24:01"} {
		if _, err := ParseHHMM(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A slot is listed when it starts in [from, to) (issue 11): between 09:10 and 10:00 the 09:20, 09:40 slots,
// and from 09:10 to 09:50 also the 09:40 one that ends after 09:50 — but not the 09:00 one that started
// before 09:10.
func TestDeriveSlotsByStart(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Tallinn")
	a := allDay("Europe/Tallinn", time.Monday)
	day := time.Date(2027, 3, 22, 0, 0, 0, 0, loc) // a Monday
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	for _, c := range []struct {
		from, to time.Time
		want     []string
	}{
		{at(9, 10), at(10, 0), []string{"09:20", "09:40"}},
		{at(9, 10), at(9, 50), []string{"09:20", "09:40"}},
		{at(9, 0), at(9, 1), []string{"09:00"}},
		{at(9, 1), at(9, 20), nil},
	} {
		slots, err := DeriveSlots(a, c.from, c.to, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range slots {
			got = append(got, s.Start.In(loc).Format("15:04"))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("[%s, %s): %v, want %v", c.from.Format("15:04"), c.to.Format("15:04"), got, c.want)
		}
	}
}

// A long value is quoted in a message cut at a character, not inside one.
func TestClipAtCharacter(t *testing.T) {
	for _, in := range []string{strings.Repeat("é", 60), "x" + strings.Repeat("é", 60), strings.Repeat("x", 100)} {
		got := clip(in)
		if !utf8.ValidString(got) || !strings.HasPrefix(in, strings.TrimSuffix(got, "…")) || len(got) > 100+len("…") {
			t.Errorf("clip(%q) = %q", in, got)
		}
	}
}
