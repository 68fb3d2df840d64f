package timer

import (
	"strings"
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	tallinn := zone(t, "Europe/Tallinn")
	for _, c := range []struct {
		text string
		want time.Time
	}{
		{"2026-12-24T09:00:00+02:00", time.Date(2026, 12, 24, 7, 0, 0, 0, time.UTC)},
		{"2026-12-24T09:00:00Z", time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)},
		{"2026-12-24T09:00:00.250Z", time.Date(2026, 12, 24, 9, 0, 0, 250e6, time.UTC)},
		{"2026-12-24T09:00Z", time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)},
		{"2026-12-24T09:00:00-0530", time.Date(2026, 12, 24, 14, 30, 0, 0, time.UTC)},
		{"2026-12-24T09:00:00[Europe/Tallinn]", time.Date(2026, 12, 24, 9, 0, 0, 0, tallinn)},
		{"2026-07-24T09:00:00[Europe/Tallinn]", time.Date(2026, 7, 24, 6, 0, 0, 0, time.UTC)},
		{"2026-12-24T09:00:00@Europe/Tallinn", time.Date(2026, 12, 24, 9, 0, 0, 0, tallinn)},
		{"2026-12-24T09:00:00+02:00[Europe/Tallinn]", time.Date(2026, 12, 24, 7, 0, 0, 0, time.UTC)},
		// 03:30 on 25 October 2026 happens twice in Tallinn; the offset says which.
		{"2026-10-25T03:30:00+03:00[Europe/Tallinn]", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{"2026-10-25T03:30:00+02:00[Europe/Tallinn]", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)},
		// 03:30 on 29 March 2026 does not exist in Tallinn: it is read an hour later, as java.time does.
		{"2026-03-29T03:30:00[Europe/Tallinn]", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"2028-02-29T12:00:00Z", time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)},
		{"  2026-12-24T09:00:00Z  ", time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)},
	} {
		d, err := Parse(Date, c.text)
		if err != nil {
			t.Errorf("Parse(Date, %q): %v", c.text, err)
			continue
		}
		got, ok := d.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 0, nil)
		if !ok || !got.Equal(c.want) {
			t.Errorf("Parse(Date, %q).Next = %v, %v; want %v", c.text, got, ok, c.want)
		}
		if _, ok := d.Next(got, 1, nil); ok {
			t.Errorf("a date fires again after firing once: %q", c.text)
		}
	}
	// A zone is kept, so a cycle from the date steps in it.
	d, _ := Parse(Date, "2026-12-24T09:00:00[Europe/Tallinn]")
	if got, _ := d.Next(time.Time{}, 0, nil); got.Location().String() != "Europe/Tallinn" {
		t.Errorf("zone lost: %v", got.Location())
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		kind Kind
		text string
		want string
	}{
		{Date, "2026-12-24T09:00:00", "no offset or zone"},
		{Date, "2026-12-24", "a date and time is written like"},
		{Date, "2026-02-30T09:00:00Z", "a date and time is written like"},
		{Date, "2026-12-24T25:00:00Z", "a date and time is written like"},
		{Date, "2026-12-24T09:00:00[Mars/Olympus]", `unknown time zone "Mars/Olympus"`},
		{Date, "2026-12-24T09:00:00[Europe/Tallinn", "a date and time is written like"},
		{Date, "2026-12-24T09:00:00+04:00[Europe/Tallinn]", "is not one Europe/Tallinn has"},
		{Date, "2026-12-24T09:00:00+2", "a date and time is written like"},
		{Date, "2026-12-24T09:00:00+19:00", "a date and time is written like"},
		{Date, "", "a date and time is written like"},
		{Duration, "5M", "starts with P"},
		{Duration, "P", "at least one component"},
		{Duration, "PT", "at least one component"},
		{Duration, "P1DT", "at least one component"},
		{Duration, "P1H", "unexpected or repeated designator 'H'"},
		{Duration, "PT1D", "unexpected or repeated designator 'D'"},
		{Duration, "P1D1Y", "unexpected or repeated designator 'Y'"},
		{Duration, "P1M1M", "unexpected or repeated designator 'M'"},
		{Duration, "P1.5D", "only seconds may have a fraction"},
		{Duration, "P-1D", "expected a number"},
		{Duration, "-P1D", "starts with P"},
		{Duration, "P101Y", "at most 100 years"},
		{Duration, "PT999999999999H", "at most 100 years"},
		{Duration, "P0WD", "from 1 to 10000"},
		{Duration, "P10001WD", "from 1 to 10000"},
		{Duration, "P1.5WD", "from 1 to 10000"},
		{Duration, "P+3WD", "from 1 to 10000"},
		{Duration, "P1WDT2H", "expected a number"},
		{Duration, "=PT5M", "starts with P"},
		{Cycle, "R5", "a cycle is R[n]/interval"},
		{Cycle, "R5/PT10M/x/y", "start: "},
		{Cycle, "R5/2026-12-06T10:00:00Z/PT1H/PT1H", "start: "},
		{Cycle, "Rx/PT10M", "are a whole number up to"},
		{Cycle, "R-1/PT10M", "are a whole number up to"},
		{Cycle, "R99999999999999999999/PT10M", "are a whole number up to"},
		{Cycle, "R/PT0S", "at least 1s"},
		{Cycle, "R/PT0.5S", "at least 1s"},
		{Cycle, "R/P1WD", "only supported in a timeDuration"},
		{Cycle, "R/2026-12-06T10:00:00/PT1H", "start: "},
		{Cycle, "R3/2026-12-06T10:00:00Z/1H", "interval: "},
		{Cycle, "0 9 * *", "5 fields"},
		{Cycle, "0 0 0 9 * * *", "not 7"},
		{Cycle, "0 61 9 * * *", "cron: "},
		{Cycle, "0 9 * * MON-FRU", "cron: "},
		{Cycle, "0 0 9 L * *", "cron: "},
		{Cycle, "CRON_TZ=Mars/Olympus 0 9 * * *", `unknown time zone "Mars/Olympus"`},
		{Cycle, "CRON_TZ=Europe/Tallinn", "not 0"},
		{Cycle, "TZ=", "unknown time zone"},
		{Cycle, "@daily", "not 1"},
		{Kind(9), "PT1M", "unknown timer kind"},
	} {
		_, err := Parse(c.kind, c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%v, %q) = %v, want an error containing %q", c.kind, c.text, err, c.want)
		}
		if err != nil && c.kind != Kind(9) && !strings.Contains(err.Error(), c.kind.String()) {
			t.Errorf("Parse(%v, %q): %v does not name the kind", c.kind, c.text, err)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		text string
		want Period
		iso  string
	}{
		{"P1D", Period{Days: 1}, "P1D"},
		{"PT5M", Period{Time: 5 * time.Minute}, "PT5M"},
		{"PT36H", Period{Time: 36 * time.Hour}, "PT36H"},
		{"P1Y2M3DT4H5M6S", Period{Years: 1, Months: 2, Days: 3, Time: 4*time.Hour + 5*time.Minute + 6*time.Second}, "P1Y2M3DT4H5M6S"},
		{"P2W", Period{Days: 14}, "P14D"},
		{"P1W2D", Period{Days: 9}, "P9D"},
		{"PT0.5S", Period{Time: 500 * time.Millisecond}, "PT0.5S"},
		{"PT1M30.25S", Period{Time: 90250 * time.Millisecond}, "PT1M30.25S"},
		{"P0D", Period{}, "PT0S"},
		{"P10WD", Period{WorkingDays: 10}, "P10WD"},
		{"P100Y", Period{Years: 100}, "P100Y"},
	} {
		got, err := parsePeriod(c.text)
		if err != nil || got != c.want || got.String() != c.iso {
			t.Errorf("parsePeriod(%q) = %+v (%s), %v; want %+v (%s)", c.text, got, got, err, c.want, c.iso)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range []Kind{Date, Duration, Cycle} {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := ParseKind("timeEvent"); err == nil {
		t.Error("ParseKind accepted timeEvent")
	}
}
