package timer

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads Camunda's cron forms: six fields with seconds first (Spring's, which Camunda 8 uses:
// "0 0 9 * * MON-FRI") or the classic five (minute first: "0 9 * * MON-FRI").
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// parseCron reads [CRON_TZ=Area/City ]fields. The zone prefix is read here rather than by the cron
// library, which indexes past the end of a prefix without fields.
func (d *Definition) parseCron(s string) error {
	spec := s
	for _, prefix := range []string{"CRON_TZ=", "TZ="} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			name, fields, _ := strings.Cut(rest, " ")
			loc, err := time.LoadLocation(name)
			if err != nil || name == "" || name == "Local" {
				return fmt.Errorf("unknown time zone %q", name)
			}
			d.cronZone, spec = loc, strings.TrimSpace(fields)
		}
	}
	if n := len(strings.Fields(spec)); n != 5 && n != 6 {
		return fmt.Errorf("a cron expression has 5 fields (minute hour day month weekday) or 6 (second first), "+
			"not %d; an ISO cycle starts with R (e.g. R5/PT10M)", n)
	}
	schedule, err := parseCronSafely(spec)
	if err != nil {
		return fmt.Errorf("cron: %w", err)
	}
	d.cron, d.repetitions = schedule, Unbounded
	return nil
}

// parseCronSafely turns a panic of the cron parser into an error: the text comes from a deployed
// definition, and a parser bug must fail that deploy, not the engine.
func parseCronSafely(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("cannot read %q", spec)
		}
	}()
	return cronParser.Parse(spec)
}

// nextCron is the first matching second after after, in the cron's zone, else the calendar's, else UTC.
// The library looks five years ahead; a schedule that never matches (30 February) is exhausted.
func (d Definition) nextCron(after time.Time, cal *Calendar) (time.Time, bool) {
	zone := d.cronZone
	if zone == nil {
		zone = time.UTC
		if country := cal.DefaultCountry(); country != "" {
			zone = cal.Zone(country)
		}
	}
	next := d.cron.Next(after.In(zone))
	return next, !next.IsZero()
}

// nextSlot is the first start + k·interval (k below the repetitions) at or after after (after it, once
// the timer has fired). k is estimated from the interval's average length and then corrected, so a cycle
// resumed years after its start costs a few steps, not one per missed slot.
func (d Definition) nextSlot(after time.Time, fired int) (time.Time, bool) {
	loc := d.start.Location()
	due := func(slot time.Time) bool { return slot.After(after) || (fired == 0 && slot.Equal(after)) }
	k := 0
	if gap := after.Sub(d.start); gap > 0 {
		k = int(gap / d.period.approx())
	}
	for k > 0 { // the estimate may overshoot by a slot or two
		slot, ok := d.period.times(d.start, k-1, loc)
		if !ok || !due(slot) {
			break
		}
		k--
	}
	for range 100 { // and undershoot by as many; the bound only stops a pathological case
		if d.repetitions != Unbounded && k >= d.repetitions {
			return time.Time{}, false
		}
		slot, ok := d.period.times(d.start, k, loc)
		if !ok {
			return time.Time{}, false
		}
		if due(slot) {
			return slot, true
		}
		k++
	}
	return time.Time{}, false
}
