package timer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// errDateTime says what a timer date looks like.
var errDateTime = errors.New("a date and time is written like 2026-12-24T09:00:00+02:00, 2026-12-24T09:00:00Z or " +
	"2026-12-24T09:00:00[Europe/Tallinn]")

// parseDateTime reads an ISO 8601 date and time with an offset, a zone, or both: YYYY-MM-DDThh:mm[:ss[.f]]
// then Z, ±hh:mm, [Area/City] (java.time's form, which Camunda writes), @Area/City (FEEL's), or an offset
// followed by a zone. With a zone the time keeps it (so a cycle from it steps in that zone); an offset
// given with a zone chooses between the two readings of a clock time that occurs twice when clocks go
// back, and must be one the zone has at that time. A time without offset or zone is an error: a timer must
// not depend on the server's zone.
func parseDateTime(s string) (time.Time, error) {
	if len(s) < 16 || s[10] != 'T' {
		return time.Time{}, errDateTime
	}
	clock, zone := splitZone(s[11:])
	local, err := parseLocal(s[:11] + clock)
	if err != nil {
		return time.Time{}, errDateTime
	}
	name := ""
	if i := strings.IndexAny(zone, "@["); i >= 0 {
		if zone[i] == '[' && !strings.HasSuffix(zone, "]") {
			return time.Time{}, errDateTime
		}
		name = strings.TrimSuffix(zone[i+1:], "]")
		zone = zone[:i]
	}
	offset, hasOffset, err := parseOffset(zone)
	if err != nil {
		return time.Time{}, errDateTime
	}
	if name == "" {
		if !hasOffset {
			return time.Time{}, fmt.Errorf("%q has no offset or zone (add Z, +02:00 or [Europe/Tallinn])", s)
		}
		loc := time.UTC
		if offset != 0 {
			loc = time.FixedZone("", offset)
		}
		return wall(local, loc), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" || name == "" {
		return time.Time{}, fmt.Errorf("unknown time zone %q", name)
	}
	t := wall(local, loc)
	if !hasOffset {
		return t, nil
	}
	if _, off := t.Zone(); off == offset {
		return t, nil
	}
	alt := local.Add(-time.Duration(offset) * time.Second).In(loc) // the written clock read at the written offset
	if wall(alt, time.UTC).Equal(local) {
		return alt, nil
	}
	return time.Time{}, fmt.Errorf("the offset of %q is not one %s has at that time", s, name)
}

// wall is the instant at which clocks in loc show local's wall-clock reading.
func wall(local time.Time, loc *time.Location) time.Time {
	return time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(),
		local.Nanosecond(), loc)
}

// splitZone splits "09:00:00+02:00[Europe/Tallinn]" after the clock.
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
	return time.Time{}, errDateTime
}

// parseOffset reads "", "Z", "+02:00" or "-0530"; hasOffset reports whether one was written.
func parseOffset(s string) (seconds int, hasOffset bool, err error) {
	switch {
	case s == "":
		return 0, false, nil
	case s == "Z":
		return 0, true, nil
	case s[0] != '+' && s[0] != '-':
		return 0, false, errDateTime
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	if len(digits) != 4 || strings.Trim(digits, "0123456789") != "" {
		return 0, false, errDateTime
	}
	h, _ := strconv.Atoi(digits[:2])
	m, _ := strconv.Atoi(digits[2:])
	if h > 18 || m > 59 {
		return 0, false, errDateTime
	}
	seconds = h*3600 + m*60
	if s[0] == '-' {
		seconds = -seconds
	}
	return seconds, true, nil
}
