package timer

import (
	"testing"
	"time"
)

// FuzzParse feeds arbitrary text to Parse for every kind and walks what parses through a few firings:
// nothing may panic or take long, a duration is never due before it started, and a cycle's due times
// always move forward.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"2026-12-24T09:00:00+02:00", "2026-12-24T09:00:00[Europe/Tallinn]", "2026-10-25T03:30:00+03:00[Europe/Tallinn]",
		"PT5M", "P1D", "P1Y2M3DT4H5M6S", "P10WD", "P2W", "PT0.5S", "R/PT1H", "R5/PT10M", "R3/2026-12-06T10:00:00Z/PT1H",
		"R/2026-01-31T10:00:00[Europe/Tallinn]/P1M", "0 0 9 * * MON-FRI", "30 9 * * 1", "CRON_TZ=Europe/Tallinn 0 9 * * *",
		"TZ=", "CRON_TZ=UTC", "0 0 0 30 2 *", "*/0 * * * *", "R0/PT1S", "",
	} {
		for kind := range 3 {
			f.Add(uint8(kind), seed)
		}
	}
	cal, err := ShippedCalendar()
	if err != nil {
		f.Fatal(err)
	}
	cal.SetDefaultCountry("EE")
	f.Fuzz(func(t *testing.T, k uint8, text string) {
		start := time.Now()
		kind := Kind(k%3 + 1)
		d, err := Parse(kind, text)
		if err != nil {
			return
		}
		after := time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC) // the night Tallinn's clocks go forward
		for fired := range 5 {
			due, ok := d.Next(after, fired, cal)
			if !ok {
				break
			}
			switch {
			case kind == Duration && due.Before(after):
				t.Fatalf("%q: due %v before its start %v", text, due, after)
			case kind == Cycle && fired > 0 && !due.After(after):
				t.Fatalf("%q: firing %d due %v, not after the previous %v", text, fired, due, after)
			}
			after = due
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("%q took %v", text, took)
		}
	})
}
