package timer

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Kind is the kind of a BPMN timer definition: the element that holds its text.
type Kind int

// The kinds of timer definitions, as bpmn:timeDate, bpmn:timeDuration and bpmn:timeCycle.
const (
	Date     Kind = iota + 1 // one instant: 2026-12-24T09:00:00+02:00
	Duration                 // a wait from the timer's start: PT5M, P1D, P10WD
	Cycle                    // repetitions: R5/PT10M, R/2026-12-06T10:00:00Z/P1D, or a cron expression
)

// String is the BPMN element name of the kind.
func (k Kind) String() string {
	switch k {
	case Date:
		return "timeDate"
	case Duration:
		return "timeDuration"
	case Cycle:
		return "timeCycle"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind reads a BPMN element name: timeDate, timeDuration or timeCycle.
func ParseKind(element string) (Kind, error) {
	for _, k := range []Kind{Date, Duration, Cycle} {
		if k.String() == element {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%q is not a timer definition (timeDate, timeDuration or timeCycle)", element)
}

// Unbounded is the repetitions of a cycle without a count (R/PT1H, cron).
const Unbounded = -1

// maxRepetitions bounds Rn: any count beyond it is a typing error, not a plan.
const maxRepetitions = 1_000_000

// minInterval is the shortest cycle: a database-backed engine fires timers in seconds, not faster.
const minInterval = time.Second

// Definition is a parsed timer definition. The zero value is not valid; Parse makes one.
type Definition struct {
	kind        Kind
	text        string
	at          time.Time     // Date
	period      Period        // Duration; a Cycle's interval
	repetitions int           // Cycle: the count of Rn, or Unbounded
	start       time.Time     // Cycle: the start of R/start/interval; zero if none
	cron        cron.Schedule // Cycle: a cron expression
	cronZone    *time.Location
}

// Kind is the definition's kind.
func (d Definition) Kind() Kind { return d.kind }

// String is the text the definition was parsed from.
func (d Definition) String() string { return d.text }

// Period is a duration's wait or a cycle's interval (zero for a date or a cron cycle).
func (d Definition) Period() Period { return d.period }

// Repetitions is how many times a cycle fires (Unbounded for R/... and cron); 1 for a date or duration.
func (d Definition) Repetitions() int {
	if d.kind != Cycle {
		return 1
	}
	return d.repetitions
}

// Parse reads the text of a timer definition of the given kind (after any expression in it has been
// evaluated). An error says what is wrong and what was expected; it does not name the element, which the
// caller knows.
func Parse(kind Kind, text string) (Definition, error) {
	s := strings.TrimSpace(text)
	d := Definition{kind: kind, text: text}
	var err error
	switch kind {
	case Date:
		d.at, err = parseDateTime(s)
	case Duration:
		d.period, err = parsePeriod(s)
	case Cycle:
		err = d.parseCycle(s)
	default:
		return Definition{}, fmt.Errorf("unknown timer kind %d", int(kind))
	}
	if err != nil {
		return Definition{}, fmt.Errorf("%s %q: %w", kind, text, err)
	}
	return d, nil
}

// parseCycle reads an ISO 8601 repeating interval (R[n]/interval or R[n]/start/interval) or, when the text
// does not start with R, a cron expression.
func (d *Definition) parseCycle(s string) error {
	if !strings.HasPrefix(s, "R") {
		return d.parseCron(s)
	}
	// Split at the first and the last slash: a start's zone has slashes of its own (Europe/Tallinn).
	first, last := strings.IndexByte(s, '/'), strings.LastIndexByte(s, '/')
	if first < 0 {
		return errors.New("a cycle is R[n]/interval or R[n]/start/interval (e.g. R5/PT10M, R/2026-12-06T10:00:00Z/P1D)")
	}
	count, interval := s[1:first], s[last+1:]
	d.repetitions = Unbounded
	if count != "" {
		n, err := parseCount(count)
		if err != nil {
			return err
		}
		d.repetitions = n
	}
	if first != last {
		start, err := parseDateTime(s[first+1 : last])
		if err != nil {
			return fmt.Errorf("start: %w", err)
		}
		d.start = start
	}
	p, err := parsePeriod(interval)
	switch {
	case err != nil:
		return fmt.Errorf("interval: %w", err)
	case p.WorkingDays > 0:
		return errors.New("working days (PnWD) are only supported in a timeDuration")
	case p.approx() < minInterval:
		return fmt.Errorf("the interval must be at least %v", minInterval)
	}
	d.period = p
	return nil
}

func parseCount(s string) (int, error) {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > maxRepetitions {
			return 0, fmt.Errorf("the repetitions (R%s) are a whole number up to %d", s, maxRepetitions)
		}
		n = n*10 + int(r-'0')
	}
	if n > maxRepetitions {
		return 0, fmt.Errorf("the repetitions (R%s) are a whole number up to %d", s, maxRepetitions)
	}
	return n, nil
}

// Next returns when the timer is next due, and false when it will not fire again.
//
//   - after is when the timer was started (the element was entered) for the first firing, and the
//     previous due time for the next ones (the due time, not the moment it actually fired, so a cycle does
//     not drift by the engine's lateness);
//   - fired is how many times it has fired.
//
// A date is due at its instant, once. A duration is due once, after + the period: calendar parts in the
// calendar's zone, working days on the calendar's default country. A cycle R[n]/interval is due after +
// interval, n times; R[n]/start/interval is due at start + k·interval (k = 0, 1, ... n-1, computed from the
// start so that monthly cycles keep their day), the first such time at or after after (later than after
// once it has fired) — slots missed while the engine was down are skipped, not fired in a burst. A cron
// cycle is due at the first matching second after after, in its CRON_TZ zone or the calendar's. cal may be
// nil: then working days are Monday to Friday and the zone is UTC.
func (d Definition) Next(after time.Time, fired int, cal *Calendar) (time.Time, bool) {
	switch d.kind {
	case Date:
		return d.at, fired == 0
	case Duration:
		if fired > 0 {
			return time.Time{}, false
		}
		return d.afterPeriod(after, cal)
	case Cycle:
		if d.repetitions != Unbounded && fired >= d.repetitions {
			return time.Time{}, false
		}
		switch {
		case d.cron != nil:
			return d.nextCron(after, cal)
		case !d.start.IsZero():
			return d.nextSlot(after, fired)
		}
		return d.afterPeriod(after, cal)
	}
	return time.Time{}, false
}

// afterPeriod is after plus the period, in the calendar's zone or on its working days.
func (d Definition) afterPeriod(after time.Time, cal *Calendar) (time.Time, bool) {
	country := cal.DefaultCountry()
	zone := time.UTC
	if cal != nil && country != "" {
		zone = cal.Zone(country)
	}
	if d.period.WorkingDays > 0 {
		return cal.AddWorkingDays(after, d.period.WorkingDays, country, zone), true
	}
	return d.period.times(after, 1, zone)
}
