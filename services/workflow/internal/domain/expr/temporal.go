package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // @"...@Europe/Tallinn" must load in a minimal container too
)

// Date is FEEL's date: a day in the calendar, in no time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String writes the date as FEEL and ISO 8601 do: 2026-12-24.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalJSON writes the date as its ISO 8601 string, the way variables are stored.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// midnight is the date's start in UTC: dates do arithmetic through it.
func (d Date) midnight() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func dateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// addMonths moves a date by whole months and keeps it in the month it lands in: Jan 31 + 1 month is the
// last day of February, as in FEEL (java.time), not March 3 as time.AddDate would give.
func addMonths(t time.Time, months int64) time.Time {
	y, m, d := t.Date()
	total := int64(y)*12 + int64(m-1) + months
	ny, nm := int(total/12), time.Month(total%12+1)
	if last := daysIn(ny, nm); d > last {
		d = last
	}
	return time.Date(ny, nm, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseDate reads a FEEL date string: YYYY-MM-DD, a day that exists.
func parseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, errors.New("not a date (YYYY-MM-DD, a day that exists)")
	}
	return dateOf(t), nil
}

// parseDateTime reads a FEEL date and time: YYYY-MM-DDThh:mm[:ss[.fff]] followed by nothing (UTC), Z, an
// offset (+02:00), a zone (@Europe/Tallinn as FEEL writes it, [Europe/Tallinn] as java.time does), or an
// offset and a zone. An offset given with a zone picks between the two readings of a clock time that occurs
// twice when the clocks go back; an offset the zone never has at that time is an error.
func parseDateTime(s string) (time.Time, error) {
	bad := errors.New("not a date and time (e.g. 2026-12-24T09:00:00+02:00 or 2026-12-24T09:00:00@Europe/Tallinn)")
	if len(s) < 16 || s[10] != 'T' {
		return time.Time{}, bad
	}
	clock, zone := splitZone(s[11:])
	local, err := parseLocal(s[:11] + clock)
	if err != nil {
		return time.Time{}, bad
	}
	name := ""
	if i := strings.IndexAny(zone, "@["); i >= 0 {
		name = strings.TrimSuffix(strings.TrimLeft(zone[i:], "@["), "]")
		if zone[i] == '[' && !strings.HasSuffix(zone, "]") {
			return time.Time{}, bad
		}
		zone = zone[:i]
	}
	offset, hasOffset, err := parseOffset(zone)
	if err != nil {
		return time.Time{}, bad
	}
	if name == "" {
		return time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(),
			local.Nanosecond(), fixedOrUTC(offset)), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return time.Time{}, fmt.Errorf("not a date and time: unknown time zone %q", name)
	}
	return inZone(local, loc, offset, hasOffset)
}

func fixedOrUTC(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	return time.FixedZone("", offset)
}

// inZone places a wall-clock time in loc; see parseDateTime for the offset rule.
func inZone(local time.Time, loc *time.Location, offset int, hasOffset bool) (time.Time, error) {
	t := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(),
		local.Nanosecond(), loc)
	if !hasOffset {
		return t, nil
	}
	if _, off := t.Zone(); off == offset {
		return t, nil
	}
	alt := local.Add(-time.Duration(offset) * time.Second).In(loc) // the written clock read at the written offset
	if wall := time.Date(alt.Year(), alt.Month(), alt.Day(), alt.Hour(), alt.Minute(), alt.Second(),
		alt.Nanosecond(), time.UTC); wall.Equal(local) {
		return alt, nil
	}
	return time.Time{}, fmt.Errorf("not a date and time: the offset is not one %s has at that time", loc)
}

// splitZone splits "09:00:00+02:00[Europe/Tallinn]" into the clock and what follows it.
func splitZone(s string) (clock, zone string) {
	i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == ':' || r == '.') })
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

func parseLocal(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("no layout matched")
}

// parseOffset reads "", "Z", "+02:00" or "-0530"; hasOffset reports whether one was written.
func parseOffset(s string) (seconds int, hasOffset bool, err error) {
	switch {
	case s == "":
		return 0, false, nil
	case s == "Z":
		return 0, true, nil
	case s[0] != '+' && s[0] != '-':
		return 0, false, errors.New("bad offset")
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	if len(digits) != 4 || strings.Trim(digits, "0123456789") != "" {
		return 0, false, errors.New("bad offset")
	}
	h, err1 := strconv.Atoi(digits[:2])
	m, err2 := strconv.Atoi(digits[2:])
	if err1 != nil || err2 != nil || h > 18 || m > 59 {
		return 0, false, errors.New("bad offset")
	}
	seconds = h*3600 + m*60
	if s[0] == '-' {
		seconds = -seconds
	}
	return seconds, true, nil
}
