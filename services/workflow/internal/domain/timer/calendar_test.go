package timer

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAddWorkingDays(t *testing.T) {
	cal, err := ShippedCalendar()
	if err != nil {
		t.Fatal(err)
	}
	if err := cal.SetWeekend("IL", time.Friday, time.Saturday); err != nil {
		t.Fatal(err)
	}
	tallinn, london := zone(t, "Europe/Tallinn"), zone(t, "Europe/London")
	ee := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, tallinn) }
	gb := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, london) }
	for _, c := range []struct {
		name    string
		from    time.Time
		n       int
		country string
		loc     *time.Location
		want    time.Time
	}{
		{"plain week", ee(3, 2, 10), 5, "EE", nil, ee(3, 9, 10)},
		{"over a weekend", ee(3, 5, 10), 2, "EE", nil, ee(3, 9, 10)},
		{"zero on a working day", ee(3, 5, 10), 0, "EE", nil, ee(3, 5, 10)},
		{"from a Saturday counts from Monday's start", ee(3, 7, 10), 5, "EE", nil, ee(3, 16, 0)},
		{"zero from a Saturday is Monday's start", ee(3, 7, 10), 0, "EE", nil, ee(3, 9, 0)},
		{"from a Sunday", ee(3, 8, 23), 1, "EE", nil, ee(3, 10, 0)},
		// Good Friday 3 April 2026 is a holiday in both; Easter Monday only in England and Wales.
		{"EE: Good Friday", ee(4, 2, 10), 1, "EE", nil, ee(4, 6, 10)},
		{"GB: Good Friday and Easter Monday", gb(4, 2, 10), 1, "GB", nil, gb(4, 7, 10)},
		{"GB: from Good Friday", gb(4, 3, 10), 1, "GB", nil, gb(4, 8, 0)},
		{"GB: early May bank holiday Monday", gb(5, 1, 15), 1, "GB", nil, gb(5, 5, 15)},
		{"EE: 1 May, a Friday", ee(4, 30, 9), 1, "EE", nil, ee(5, 4, 9)},
		{"EE: Victory Day and Midsummer", ee(6, 22, 9), 1, "EE", nil, ee(6, 25, 9)},
		{"EE: Christmas 24-26 December 2026", ee(12, 23, 10), 1, "EE", nil, ee(12, 28, 10)},
		{"GB: Boxing Day substitute Monday", gb(12, 24, 10), 1, "GB", nil, gb(12, 29, 10)},
		{"GB: over the new year", gb(12, 31, 10), 1, "GB", nil, time.Date(2027, 1, 4, 10, 0, 0, 0, london)},
		{"EE: 2027 Christmas on Friday to Sunday", time.Date(2027, 12, 23, 10, 0, 0, 0, tallinn), 1, "EE", nil, time.Date(2027, 12, 27, 10, 0, 0, 0, tallinn)},
		{"GB: 2027 substitutes Monday and Tuesday", time.Date(2027, 12, 24, 10, 0, 0, 0, london), 1, "GB", nil, time.Date(2027, 12, 29, 10, 0, 0, 0, london)},
		// Daylight saving time starts on Sunday 29 March 2026: the clock time stays, the hours between shrink.
		{"EE: over the spring DST change", ee(3, 27, 10), 1, "EE", nil, ee(3, 30, 10)},
		{"EE: over the autumn DST change", ee(10, 23, 10), 1, "EE", nil, ee(10, 26, 10)},
		// from is read in the country's zone: 23:30 UTC on a Friday is already Saturday in Tallinn.
		{"read in the country's zone", time.Date(2026, 3, 6, 23, 30, 0, 0, time.UTC), 1, "EE", nil, ee(3, 10, 0)},
		{"read in an explicit zone", time.Date(2026, 3, 6, 23, 30, 0, 0, time.UTC), 1, "EE", time.UTC, time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC)},
		// 2028 has no shipped holidays: weekends only. 29 February 2028 is a Tuesday.
		{"over a leap day", time.Date(2028, 2, 28, 9, 0, 0, 0, tallinn), 1, "EE", nil, time.Date(2028, 2, 29, 9, 0, 0, 0, tallinn)},
		{"from a leap day", time.Date(2028, 2, 29, 9, 0, 0, 0, tallinn), 3, "EE", nil, time.Date(2028, 3, 3, 9, 0, 0, 0, tallinn)},
		{"a country without data: weekends only, UTC", time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC), 1, "FR", nil, time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)},
		{"lower-case country code", ee(4, 2, 10), 1, "ee", nil, ee(4, 6, 10)},
		{"a Friday-Saturday weekend", time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC), 1, "IL", nil, time.Date(2026, 4, 5, 9, 0, 0, 0, time.UTC)},
		{"a procurement period of 20 working days", ee(12, 1, 12), 20, "EE", nil, ee(12, 31, 12)},
		{"into the new year", ee(12, 1, 12), 21, "EE", nil, time.Date(2027, 1, 4, 12, 0, 0, 0, tallinn)},
	} {
		got := cal.AddWorkingDays(c.from, c.n, c.country, c.loc)
		if !got.Equal(c.want) {
			t.Errorf("%s: AddWorkingDays(%v, %d, %s) = %v, want %v", c.name, c.from, c.n, c.country, got, c.want)
		}
		if c.loc == nil && got.Location() != cal.Zone(c.country) {
			t.Errorf("%s: the deadline is in %v, not the country's zone", c.name, got.Location())
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	cal, err := ShippedCalendar()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		t       time.Time
		country string
		want    bool
	}{
		{time.Date(2026, 2, 24, 12, 0, 0, 0, time.UTC), "EE", false}, // Independence Day, a Tuesday
		{time.Date(2026, 2, 24, 12, 0, 0, 0, time.UTC), "GB", true},
		{time.Date(2026, 2, 23, 22, 30, 0, 0, time.UTC), "EE", false}, // already the 24th in Tallinn
		{time.Date(2026, 2, 23, 22, 30, 0, 0, time.UTC), "GB", true},
		{time.Date(2026, 4, 6, 12, 0, 0, 0, time.UTC), "EE", true},
		{time.Date(2026, 4, 6, 12, 0, 0, 0, time.UTC), "GB", false}, // Easter Monday
		{time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), "EE", false}, // Saturday
		{time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC), "EE", true},
	} {
		if got := cal.IsWorkingDay(c.t, c.country, nil); got != c.want {
			t.Errorf("IsWorkingDay(%v, %s) = %v, want %v", c.t, c.country, got, c.want)
		}
	}
	if !cal.IsWorkingDay(time.Date(2026, 2, 23, 22, 30, 0, 0, time.UTC), "EE", time.UTC) {
		t.Error("an explicit zone is not used")
	}
}

func TestCalendarSetters(t *testing.T) {
	cal := NewCalendar()
	cal.AddHolidays("ee", Day{2026, 3, 10})
	if _, ok := cal.Holiday("EE", Day{2026, 3, 10}); !ok || !cal.Covers("EE", 2026) || cal.Covers("EE", 2027) {
		t.Fatal("AddHolidays did not register the day or its year")
	}
	if got := cal.AddWorkingDays(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC), 1, "EE", time.UTC); !got.Equal(time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("an added holiday is not skipped: %v", got)
	}
	if err := cal.SetWeekend("XX", time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday); err == nil {
		t.Fatal("a week without a working day was accepted")
	}
	if err := cal.SetWeekend("XX", time.Weekday(7)); err == nil {
		t.Fatal("weekday 7 was accepted")
	}
	if cal.Zone("EE") != time.UTC || cal.DefaultCountry() != "" {
		t.Fatal("a new calendar has a zone or a default country")
	}
	cal.SetDefaultCountry("gb")
	if cal.DefaultCountry() != "GB" {
		t.Fatalf("default country %q", cal.DefaultCountry())
	}
	var none *Calendar
	if none.DefaultCountry() != "" || none.Zone("EE") != time.UTC || !none.IsWorkingDay(time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC), "EE", nil) {
		t.Fatal("a nil calendar is not weekends-only UTC")
	}
	if DayOf(time.Date(2026, 12, 24, 23, 0, 0, 0, time.UTC)).String() != "2026-12-24" {
		t.Fatal("Day.String")
	}
}

func TestLoadHolidaysErrorsNameTheLine(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"EE,2026-01-01,New Year\nEST,2026-01-02,x\n", "line 2"},
		{"# comment\nEE,2026-13-01,x\n", "line 2: \"2026-13-01\" is not a date"},
		{"ee,2026-01-01,x\n", "line 1"},
		{"EE,2026-01-01\n", "wrong number of fields"},
	} {
		err := NewCalendar().LoadHolidays(strings.NewReader(c.csv))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("LoadHolidays(%q) = %v, want %q", c.csv, err, c.want)
		}
	}
}

// TestConcurrentReads shares one calendar and definition between goroutines (run with -race).
func TestConcurrentReads(t *testing.T) {
	cal := estonia(t)
	d := mustParse(t, Duration, "P5WD")
	want, _ := d.Next(time.Date(2026, 12, 21, 9, 0, 0, 0, time.UTC), 0, cal)
	var wg sync.WaitGroup
	errs := make(chan time.Time, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				got, _ := d.Next(time.Date(2026, 12, 21, 9, 0, 0, 0, time.UTC), 0, cal)
				cal.IsWorkingDay(got, "GB", nil)
				if !got.Equal(want) {
					errs <- got
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Next = %v, want %v", got, want)
	}
	// Monday 21 December 2026 11:00 Tallinn + 5 working days, skipping 24-27 December: Wednesday 30th.
	if !want.Equal(time.Date(2026, 12, 30, 11, 0, 0, 0, zone(t, "Europe/Tallinn"))) {
		t.Errorf("P5WD from 21 December = %v", want)
	}
}
