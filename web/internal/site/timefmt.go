package site

import (
	"strconv"
	"strings"
	"time"
)

// Dates and times are shown in the hospital's time zone, in the page's language: the day's and month's
// names come from the message files (weekday.0 … weekday.6, month.1 … month.12), the order from date.long.

// longDate is e.g. "Monday 7 December 2026" (et: "esmaspäev, 7. detsember 2026").
func (c *Ctx) longDate(t time.Time) string {
	return c.Loc.T("date.long", c.Loc.T("weekday."+strconv.Itoa(int(t.Weekday()))), t.Day(),
		c.Loc.T("month."+strconv.Itoa(int(t.Month()))), t.Year())
}

// clock is e.g. "09:20" (24-hour, as both languages write it).
func clock(t time.Time) string { return t.Format("15:04") }

// location is the hospital's time zone; UTC when it names none the portal knows (the page says which zone
// it shows).
func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}

// zoneName is what the page says times are in: the IANA name, or UTC.
func zoneName(loc *time.Location) string {
	if loc == time.UTC {
		return "UTC"
	}
	return loc.String()
}

// specialtyName is a department's name: its message (specialty.<id>) when the files have one, else the id
// made readable ("general-practice" → "General practice").
func (c *Ctx) specialtyName(id string) string {
	if c.Loc.Has("specialty." + id) {
		return c.Loc.T("specialty." + id)
	}
	s := strings.ReplaceAll(id, "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
