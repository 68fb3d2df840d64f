package timer

import (
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // working days are counted in a country's zone: it must load in a minimal container too
)

// Day is a day in the calendar, in no time zone: a public holiday, or the date part of a local time.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf is the calendar day of t in t's location.
func DayOf(t time.Time) Day { return Day{t.Year(), t.Month(), t.Day()} }

// String writes the day in ISO 8601: 2026-12-24.
func (d Day) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Calendar knows, per country (ISO 3166-1 alpha-2, e.g. EE, GB), which days are not working days — its
// weekend days (Saturday and Sunday unless set otherwise) and its public holidays — and the country's time
// zone. Working-day durations (P10WD) count on the default country's calendar; calendar arithmetic of
// timers (P1D, cron) happens in the default country's zone. A Calendar is built at start-up and then only
// read: it is safe for concurrent reads, not for changes during use.
type Calendar struct {
	countries      map[string]*country
	defaultCountry string
}

type country struct {
	zone     *time.Location
	weekend  [7]bool // by time.Weekday
	holidays map[Day]string
	years    map[int]bool // years whose holidays were loaded
}

// NewCalendar returns a calendar with no holidays and weekends on Saturday and Sunday everywhere.
func NewCalendar() *Calendar { return &Calendar{countries: map[string]*country{}} }

func (c *Calendar) get(code string) *country {
	code = strings.ToUpper(code)
	k, ok := c.countries[code]
	if !ok {
		k = &country{holidays: map[Day]string{}, years: map[int]bool{}}
		k.weekend[time.Saturday], k.weekend[time.Sunday] = true, true
		c.countries[code] = k
	}
	return k
}

// lookup reads a country without adding it; unknown countries have the default weekend and no holidays.
func (c *Calendar) lookup(code string) *country {
	if c != nil {
		if k, ok := c.countries[strings.ToUpper(code)]; ok {
			return k
		}
	}
	return &country{weekend: [7]bool{time.Saturday: true, time.Sunday: true}}
}

// AddHolidays marks days as public holidays of a country.
func (c *Calendar) AddHolidays(countryCode string, days ...Day) {
	for _, d := range days {
		c.addHoliday(countryCode, d, "")
	}
}

func (c *Calendar) addHoliday(countryCode string, d Day, name string) {
	k := c.get(countryCode)
	k.holidays[d] = name
	k.years[d.Year] = true
}

// SetWeekend sets the weekly days off of a country (e.g. Friday and Saturday); a week must keep at least
// one working day.
func (c *Calendar) SetWeekend(countryCode string, days ...time.Weekday) error {
	var w [7]bool
	for _, d := range days {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("weekend of %s: %d is not a weekday", countryCode, d)
		}
		w[d] = true
	}
	if w == [7]bool{true, true, true, true, true, true, true} {
		return errors.New("weekend of " + countryCode + ": a week needs at least one working day")
	}
	k := c.get(countryCode)
	k.weekend = w
	return nil
}

// SetZone sets the time zone a country's days are counted in.
func (c *Calendar) SetZone(countryCode string, loc *time.Location) { c.get(countryCode).zone = loc }

// Zone is a country's time zone, UTC when none was set.
func (c *Calendar) Zone(countryCode string) *time.Location {
	if z := c.lookup(countryCode).zone; z != nil {
		return z
	}
	return time.UTC
}

// SetDefaultCountry names the country whose calendar and zone the timers of this engine use.
func (c *Calendar) SetDefaultCountry(countryCode string) {
	c.get(countryCode)
	c.defaultCountry = strings.ToUpper(countryCode)
}

// DefaultCountry is the country set by SetDefaultCountry, "" if none.
func (c *Calendar) DefaultCountry() string {
	if c == nil {
		return ""
	}
	return c.defaultCountry
}

// Holiday reports whether d is a public holiday of the country, and its name when one was loaded.
func (c *Calendar) Holiday(countryCode string, d Day) (name string, ok bool) {
	name, ok = c.lookup(countryCode).holidays[d]
	return name, ok
}

// Covers reports whether the country's holidays of the year are known: a working-day deadline in a year
// not covered counts weekends only, which an operator should hear about.
func (c *Calendar) Covers(countryCode string, year int) bool {
	return c.lookup(countryCode).years[year]
}

// IsWorkingDay reports whether t, read in loc (the country's zone when loc is nil), falls on a working day
// of the country: not a weekend day, not a public holiday.
func (c *Calendar) IsWorkingDay(t time.Time, countryCode string, loc *time.Location) bool {
	if loc == nil {
		loc = c.Zone(countryCode)
	}
	return c.lookup(countryCode).working(DayOf(t.In(loc)), t.In(loc).Weekday())
}

func (k *country) working(d Day, wd time.Weekday) bool {
	if k.weekend[wd] {
		return false
	}
	_, holiday := k.holidays[d]
	return !holiday
}

// AddWorkingDays returns the deadline n working days after from, read in loc (the country's zone when loc
// is nil). The rule:
//
//   - from on a working day: step forward day by day, counting working days, until n are counted; the
//     deadline is that day at from's local clock time (so it moves with daylight saving time: the same
//     clock time, not a multiple of 24 hours).
//   - from on a non-working day (weekend or holiday): the period starts at the beginning (00:00) of the
//     next working day, and the deadline is 00:00 on the day n working days after that one — that is, the
//     end of the n-th full working day. A tender closing on a Saturday with 5 working days to evaluate
//     is due at Monday 00:00 a week later, the end of Friday.
//   - n <= 0: from itself on a working day, the start of the next working day otherwise.
//
// A clock time that does not exist on the deadline day (the hour the clocks skip) is moved forward by the
// length of the gap, as time.Date does.
func (c *Calendar) AddWorkingDays(from time.Time, n int, countryCode string, loc *time.Location) time.Time {
	if loc == nil {
		loc = c.Zone(countryCode)
	}
	k := c.lookup(countryCode)
	local := from.In(loc)
	if !k.working(DayOf(local), local.Weekday()) {
		next := k.nextWorking(local, 0)
		local = time.Date(local.Year(), local.Month(), local.Day()+next, 0, 0, 0, 0, loc)
	}
	day := 0 // days after local's date
	for counted := 0; counted < n; counted++ {
		day = k.nextWorking(local, day)
	}
	return time.Date(local.Year(), local.Month(), local.Day()+day, local.Hour(), local.Minute(), local.Second(),
		local.Nanosecond(), loc)
}

// nextWorking returns the offset, in days from base's date, of the first working day after the day at
// offset after. Days are stepped at noon UTC of the civil date, so no zone transition can skip or repeat one.
// A week always has a working day, so the search ends within a week plus the holidays in a row.
func (k *country) nextWorking(base time.Time, after int) int {
	for d := after + 1; ; d++ {
		t := time.Date(base.Year(), base.Month(), base.Day()+d, 12, 0, 0, 0, time.UTC)
		if k.working(DayOf(t), t.Weekday()) {
			return d
		}
	}
}
