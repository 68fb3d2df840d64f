package domain

import "time"

// Calendar counts working days. With Day set (demos and tests: GOVSTACK_PROCUREMENT_WORKING_DAY) a working
// day is that long, so a tender runs its course in minutes; otherwise working days are Monday to Friday in
// UTC, and a period ends at the same time of day as it started.
type Calendar struct {
	Day time.Duration
}

// AddWorkingDays returns the instant n working days after from.
func (c Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	if c.Day > 0 {
		return from.Add(time.Duration(n) * c.Day)
	}
	t := from.UTC()
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// For is the calendar of tender t: its own demo working day when it has one (see Tender.DemoDay), else c.
func (c Calendar) For(t Tender) Calendar {
	if t.DemoDay > 0 {
		return Calendar{Day: t.DemoDay}
	}
	return c
}
