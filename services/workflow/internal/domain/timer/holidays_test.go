package timer

import (
	"testing"
	"time"
)

// easter is Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm), computed here
// independently of the shipped file so the file's movable feasts can be checked.
func easter(year int) time.Time {
	a, b, c := year%19, year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// mondayOf is the first (n = 1) or last (n = -1) Monday of a month.
func mondayOf(year int, m time.Month, n int) Day {
	t := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	if n < 0 {
		t = time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC)
		for t.Weekday() != time.Monday {
			t = t.AddDate(0, 0, -1)
		}
		return DayOf(t)
	}
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return DayOf(t)
}

// substitute moves a day on a weekend to the next weekday not already taken, as gov.uk does.
func substitute(d Day, taken map[Day]bool) Day {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || taken[DayOf(t)] {
		t = t.AddDate(0, 0, 1)
	}
	taken[DayOf(t)] = true
	return DayOf(t)
}

// TestShippedHolidaysFollowTheirRules rebuilds each shipped year from the law's rules and compares: the
// file must hold exactly these days.
func TestShippedHolidaysFollowTheirRules(t *testing.T) {
	cal, err := ShippedCalendar()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[Day]bool{"EE": {}, "GB": {}}
	for _, year := range []int{2026, 2027} {
		if !cal.Covers("EE", year) || !cal.Covers("GB", year) {
			t.Fatalf("%d is not covered", year)
		}
		e := easter(year)
		for _, d := range []Day{{year, 1, 1}, {year, 2, 24}, DayOf(e.AddDate(0, 0, -2)), DayOf(e), {year, 5, 1},
			DayOf(e.AddDate(0, 0, 49)), {year, 6, 23}, {year, 6, 24}, {year, 8, 20}, {year, 12, 24}, {year, 12, 25}, {year, 12, 26}} {
			want["EE"][d] = true
		}
		taken := map[Day]bool{}
		for _, d := range []Day{substitute(Day{year, 1, 1}, taken), DayOf(e.AddDate(0, 0, -2)), DayOf(e.AddDate(0, 0, 1)),
			mondayOf(year, time.May, 1), mondayOf(year, time.May, -1), mondayOf(year, time.August, -1),
			substitute(Day{year, 12, 25}, taken), substitute(Day{year, 12, 26}, taken)} {
			want["GB"][d] = true
		}
	}
	for code, days := range want {
		got := cal.lookup(code).holidays
		if len(got) != len(days) {
			t.Errorf("%s: %d holidays shipped, the rules give %d", code, len(got), len(days))
		}
		for d := range days {
			if _, ok := got[d]; !ok {
				t.Errorf("%s: %s is missing", code, d)
			}
		}
		for d, name := range got {
			if name == "" {
				t.Errorf("%s: %s has no name", code, d)
			}
		}
	}
	if cal.Zone("EE").String() != "Europe/Tallinn" || cal.Zone("GB").String() != "Europe/London" {
		t.Errorf("zones: %v %v", cal.Zone("EE"), cal.Zone("GB"))
	}
	if cal.Covers("EE", 2028) {
		t.Error("2028 is covered though no data was shipped for it")
	}
}
