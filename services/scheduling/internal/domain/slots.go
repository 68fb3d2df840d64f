package domain

import (
	"sort"
	"time"
)

// MaxSlotRange bounds one free-slot query, so a request cannot make the server derive years of slots.
const MaxSlotRange = 31 * 24 * time.Hour

// DeriveSlots returns the slots of a's resource that start in [from, to) and are not in any of busy
// (exceptions and active appointments), in start order. A slot that starts before to may end after it:
// "free slots between 9 and 10" includes the 9:50 one.
//
// Working hours are wall-clock times in the entity's zone, so each local date's window is built with
// time.Date in that location and then stepped in real durations: on a DST-change day the window is as long
// as the clock says it is (a 00:00–06:00 window on the spring-forward day holds 5 hours of slots).
func DeriveSlots(a Affiliation, from, to time.Time, busy []Interval) ([]Slot, error) {
	loc, err := a.Entity.Location()
	if err != nil {
		return nil, err
	}
	step := a.Resource.SlotLength()
	var out []Slot
	// Start a day early and end a day late in local dates: from/to are instants, local dates may differ.
	day := localDate(from.In(loc).AddDate(0, 0, -1), loc)
	last := localDate(to.In(loc).AddDate(0, 0, 1), loc)
	for ; !day.After(last); day = localDate(day.AddDate(0, 0, 1), loc) {
		for _, h := range a.Hours {
			if h.Weekday != day.Weekday() {
				continue
			}
			start := atMinute(day, h.StartMinute, loc)
			end := atMinute(day, h.EndMinute, loc)
			for s := start; !s.Add(step).After(end); s = s.Add(step) {
				iv := Interval{s, s.Add(step)}
				if s.Before(from) || !s.Before(to) || overlapsAny(iv, busy) {
					continue
				}
				out = append(out, Slot{Resource: a.Resource, Entity: a.Entity, Start: s.UTC(), End: iv.End.UTC(), Location: loc})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// SlotAt returns the derived slot of a that starts exactly at start, ignoring busy periods other than
// exceptions; false when start is not a slot start (outside working hours, off the slot grid, on leave).
func SlotAt(a Affiliation, start time.Time, exceptions []Interval) (Slot, bool, error) {
	slots, err := DeriveSlots(a, start, start.Add(a.Resource.SlotLength()), exceptions)
	if err != nil {
		return Slot{}, false, err
	}
	for _, s := range slots {
		if s.Start.Equal(start) {
			return s, true, nil
		}
	}
	return Slot{}, false, nil
}

func localDate(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// atMinute is the instant of minute m after local midnight of day (1440 = the next midnight). time.Date
// normalises a wall time in a DST gap forward, which is what a clock on the wall does too.
func atMinute(day time.Time, m int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
}

func overlapsAny(iv Interval, busy []Interval) bool {
	for _, b := range busy {
		if iv.Overlaps(b) {
			return true
		}
	}
	return false
}
