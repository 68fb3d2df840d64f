package timer

import (
	"testing"
	"time"
)

// estonia is the shipped calendar with Estonia as the engine's country.
func estonia(t testing.TB) *Calendar {
	t.Helper()
	cal, err := ShippedCalendar()
	if err != nil {
		t.Fatal(err)
	}
	cal.SetDefaultCountry("EE")
	return cal
}

func mustParse(t testing.TB, kind Kind, text string) Definition {
	t.Helper()
	d, err := Parse(kind, text)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNextDuration(t *testing.T) {
	tallinn := zone(t, "Europe/Tallinn")
	ee := estonia(t)
	for _, c := range []struct {
		text  string
		after time.Time
		cal   *Calendar
		want  time.Time
	}{
		{"PT5M", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), nil, time.Date(2026, 5, 1, 10, 5, 0, 0, time.UTC)},
		{"PT0.5S", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), nil, time.Date(2026, 5, 1, 10, 0, 0, 5e8, time.UTC)},
		{"P0D", time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), nil, time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)},
		{"P1Y2M3DT4H5M6S", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), nil, time.Date(2027, 3, 4, 4, 5, 6, 0, time.UTC)},
		// Month ends: P1M from 31 January is the last day of February.
		{"P1M", time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC), nil, time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC)},
		{"P1M", time.Date(2028, 1, 31, 9, 0, 0, 0, time.UTC), nil, time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC)},
		{"P1M", time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC), nil, time.Date(2026, 4, 30, 9, 0, 0, 0, time.UTC)},
		{"P1M1D", time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC), nil, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		{"P13M", time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC), nil, time.Date(2028, 1, 31, 9, 0, 0, 0, time.UTC)},
		// Leap days.
		{"P1Y", time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC), nil, time.Date(2029, 2, 28, 9, 0, 0, 0, time.UTC)},
		{"P4Y", time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC), nil, time.Date(2032, 2, 29, 9, 0, 0, 0, time.UTC)},
		{"P1D", time.Date(2028, 2, 28, 9, 0, 0, 0, time.UTC), nil, time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC)},
		{"P1D", time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC), nil, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		// Daylight saving time in Tallinn (29 March and 25 October 2026): P1D keeps the clock, PT24H does not.
		{"P1D", time.Date(2026, 3, 28, 12, 0, 0, 0, tallinn), ee, time.Date(2026, 3, 29, 12, 0, 0, 0, tallinn)},
		{"PT24H", time.Date(2026, 3, 28, 12, 0, 0, 0, tallinn), ee, time.Date(2026, 3, 29, 13, 0, 0, 0, tallinn)},
		{"P1D", time.Date(2026, 10, 24, 12, 0, 0, 0, tallinn), ee, time.Date(2026, 10, 25, 12, 0, 0, 0, tallinn)},
		{"PT24H", time.Date(2026, 10, 24, 12, 0, 0, 0, tallinn), ee, time.Date(2026, 10, 25, 11, 0, 0, 0, tallinn)},
		// The zone is the calendar's, whatever location after comes in: here 12:00 Tallinn given in UTC.
		{"P1D", time.Date(2026, 3, 28, 10, 0, 0, 0, time.UTC), ee, time.Date(2026, 3, 29, 12, 0, 0, 0, tallinn)},
		// Without a calendar, calendar days are UTC days.
		{"P1D", time.Date(2026, 3, 28, 12, 0, 0, 0, tallinn), nil, time.Date(2026, 3, 29, 13, 0, 0, 0, tallinn)},
		// Working days on the Estonian calendar.
		{"P10WD", time.Date(2026, 3, 2, 10, 0, 0, 0, tallinn), ee, time.Date(2026, 3, 16, 10, 0, 0, 0, tallinn)},
		{"P1WD", time.Date(2026, 4, 2, 10, 0, 0, 0, tallinn), ee, time.Date(2026, 4, 6, 10, 0, 0, 0, tallinn)},
		{"P1WD", time.Date(2026, 4, 2, 10, 0, 0, 0, tallinn), nil, time.Date(2026, 4, 3, 10, 0, 0, 0, tallinn)},
	} {
		d := mustParse(t, Duration, c.text)
		got, ok := d.Next(c.after, 0, c.cal)
		if !ok || !got.Equal(c.want) {
			t.Errorf("%s after %v = %v, %v; want %v", c.text, c.after, got, ok, c.want)
		}
		if _, ok := d.Next(got, 1, c.cal); ok {
			t.Errorf("%s fires twice", c.text)
		}
	}
}

func TestNextCycle(t *testing.T) {
	tallinn := zone(t, "Europe/Tallinn")
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	for _, c := range []struct {
		name, text string
		cal        *Calendar
		after      time.Time
		want       []time.Time // the due times in order; the cycle is exhausted after them when exhausted is set
		exhausted  bool
	}{
		{"counted interval", "R3/PT10M", nil, utc(2026, 5, 1, 10, 0),
			[]time.Time{utc(2026, 5, 1, 10, 10), utc(2026, 5, 1, 10, 20), utc(2026, 5, 1, 10, 30)}, true},
		{"R0 never fires", "R0/PT10M", nil, utc(2026, 5, 1, 10, 0), nil, true},
		{"unbounded interval", "R/PT1H", nil, utc(2026, 5, 1, 23, 30),
			[]time.Time{utc(2026, 5, 2, 0, 30), utc(2026, 5, 2, 1, 30), utc(2026, 5, 2, 2, 30), utc(2026, 5, 2, 3, 30)}, false},
		{"daily across DST in the calendar's zone", "R/P1D", estonia(t), time.Date(2026, 3, 27, 9, 0, 0, 0, tallinn),
			[]time.Time{time.Date(2026, 3, 28, 9, 0, 0, 0, tallinn), time.Date(2026, 3, 29, 9, 0, 0, 0, tallinn), time.Date(2026, 3, 30, 9, 0, 0, 0, tallinn)}, false},
		{"start in the future fires at the start", "R3/2026-12-06T10:00:00Z/PT1H", nil, utc(2026, 12, 1, 0, 0),
			[]time.Time{utc(2026, 12, 6, 10, 0), utc(2026, 12, 6, 11, 0), utc(2026, 12, 6, 12, 0)}, true},
		{"start exactly now fires now", "R2/2026-12-06T10:00:00Z/PT1H", nil, utc(2026, 12, 6, 10, 0),
			[]time.Time{utc(2026, 12, 6, 10, 0), utc(2026, 12, 6, 11, 0)}, true},
		{"start in the past skips missed slots", "R/2026-01-01T06:00:00Z/PT1H", nil, utc(2026, 3, 1, 8, 30),
			[]time.Time{utc(2026, 3, 1, 9, 0), utc(2026, 3, 1, 10, 0)}, false},
		{"missed slots count against the repetitions", "R3/2026-12-06T10:00:00Z/PT1H", nil, utc(2026, 12, 6, 11, 30),
			[]time.Time{utc(2026, 12, 6, 12, 0)}, true},
		{"all slots missed", "R3/2026-12-06T10:00:00Z/PT1H", nil, utc(2026, 12, 7, 0, 0), nil, true},
		{"monthly from the 31st keeps month ends without drift", "R5/2026-01-31T10:00:00Z/P1M", nil, utc(2026, 1, 1, 0, 0),
			[]time.Time{utc(2026, 1, 31, 10, 0), utc(2026, 2, 28, 10, 0), utc(2026, 3, 31, 10, 0), utc(2026, 4, 30, 10, 0), utc(2026, 5, 31, 10, 0)}, true},
		{"yearly from a leap day", "R/2028-02-29T00:00:00Z/P1Y", nil, utc(2028, 1, 1, 0, 0),
			[]time.Time{utc(2028, 2, 29, 0, 0), utc(2029, 2, 28, 0, 0), utc(2030, 2, 28, 0, 0), utc(2031, 2, 28, 0, 0), utc(2032, 2, 29, 0, 0)}, false},
		{"a zoned start steps in its zone", "R/2026-03-27T09:00:00[Europe/Tallinn]/P1D", nil, time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC),
			[]time.Time{time.Date(2026, 3, 27, 9, 0, 0, 0, tallinn), time.Date(2026, 3, 28, 9, 0, 0, 0, tallinn), time.Date(2026, 3, 29, 9, 0, 0, 0, tallinn), time.Date(2026, 3, 30, 9, 0, 0, 0, tallinn)}, false},
		{"a start years back resumes in a few steps", "R/2026-01-31T10:00:00Z/P1M", nil, utc(2040, 6, 15, 0, 0),
			[]time.Time{utc(2040, 6, 30, 10, 0), utc(2040, 7, 31, 10, 0)}, false},
		{"cron, 6 fields with seconds, weekdays at 09:00 UTC", "0 0 9 * * MON-FRI", nil, utc(2026, 4, 2, 12, 0),
			[]time.Time{utc(2026, 4, 3, 9, 0), utc(2026, 4, 6, 9, 0), utc(2026, 4, 7, 9, 0)}, false},
		{"cron, 5 fields", "30 9 * * 1", nil, utc(2026, 4, 2, 12, 0),
			[]time.Time{utc(2026, 4, 6, 9, 30), utc(2026, 4, 13, 9, 30)}, false},
		{"cron in a zone across DST", "CRON_TZ=Europe/Tallinn 0 0 9 * * *", nil, utc(2026, 3, 27, 12, 0),
			[]time.Time{utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 6, 0), utc(2026, 3, 30, 6, 0)}, false},
		{"cron in the calendar's zone", "0 9 * * *", estonia(t), utc(2026, 10, 24, 12, 0),
			[]time.Time{utc(2026, 10, 25, 7, 0), utc(2026, 10, 26, 7, 0)}, false},
		{"cron at the hour the clocks skip", "CRON_TZ=Europe/Tallinn 0 30 3 * * *", nil, utc(2026, 3, 28, 12, 0),
			[]time.Time{utc(2026, 3, 30, 0, 30)}, false},
		{"cron that never matches", "0 0 0 30 2 *", nil, utc(2026, 1, 1, 0, 0), nil, true},
		{"cron with ?", "0 0 12 ? * SUN", nil, utc(2026, 4, 2, 12, 0), []time.Time{utc(2026, 4, 5, 12, 0)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := mustParse(t, Cycle, c.text)
			after := c.after
			for i, want := range c.want {
				got, ok := d.Next(after, i, c.cal)
				if !ok || !got.Equal(want) {
					t.Fatalf("%s: firing %d after %v = %v, %v; want %v", c.text, i, after, got, ok, want)
				}
				after = got
			}
			if got, ok := d.Next(after, len(c.want), c.cal); ok == c.exhausted {
				t.Fatalf("%s: after %d firings Next = %v, %v; exhausted should be %v", c.text, len(c.want), got, ok, c.exhausted)
			}
		})
	}
}

func TestRepetitions(t *testing.T) {
	for text, want := range map[string]int{"R5/PT1M": 5, "R/PT1M": Unbounded, "0 9 * * *": Unbounded, "R0/PT1M": 0} {
		if got := mustParse(t, Cycle, text).Repetitions(); got != want {
			t.Errorf("Repetitions(%q) = %d, want %d", text, got, want)
		}
	}
	if got := mustParse(t, Duration, "PT1M").Repetitions(); got != 1 {
		t.Errorf("a duration repeats %d times", got)
	}
	if d := mustParse(t, Cycle, " R5/PT1M "); d.String() != " R5/PT1M " || d.Kind() != Cycle || d.Period().String() != "PT1M" {
		t.Errorf("String/Kind/Period = %q %v %v", d.String(), d.Kind(), d.Period())
	}
	if p := mustParse(t, Duration, "P10WD").Period(); p.WorkingDays != 10 {
		t.Errorf("P10WD period %+v", p)
	}
}
