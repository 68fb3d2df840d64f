package domain

import "time"

// Entity is a hosting organisation (a hospital) with the time zone its working hours are read in.
type Entity struct {
	ID, Name, Category, City, TimeZone, Email, Phone, Website string
}

// Location returns the entity's time zone.
func (e Entity) Location() (*time.Location, error) { return time.LoadLocation(e.TimeZone) }

// LocationOrUTC is the entity's zone for showing times to people. An entity's zone is checked when it is
// saved, so the UTC fallback is only a readable last resort.
func (e Entity) LocationOrUTC() *time.Location {
	loc, err := e.Location()
	if err != nil {
		return time.UTC
	}
	return loc
}

// Resource is what gets booked: a doctor or a room.
type Resource struct {
	ID, Name, Category, Specialty, Email, Phone string
	SlotMinutes                                 int
}

// SlotLength is the resource's slot length (20 minutes when unset).
func (r Resource) SlotLength() time.Duration {
	if r.SlotMinutes <= 0 {
		return 20 * time.Minute
	}
	return time.Duration(r.SlotMinutes) * time.Minute
}

// Hours is one working period on a weekday, in minutes after local midnight.
type Hours struct {
	Weekday                time.Weekday
	StartMinute, EndMinute int
}

// Affiliation is a resource working at an entity with its weekly hours there.
type Affiliation struct {
	ID       string
	Resource Resource
	Entity   Entity
	Hours    []Hours
}

// Subscriber is the citizen who books.
type Subscriber struct {
	ID, Name, Email, Phone, Category, NationalID string
}

// Interval is a half-open period [Start, End).
type Interval struct{ Start, End time.Time }

// Overlaps says whether the two half-open intervals share an instant.
func (i Interval) Overlaps(o Interval) bool { return i.Start.Before(o.End) && o.Start.Before(i.End) }

// Slot is one bookable period of a resource at an entity.
type Slot struct {
	Resource Resource
	Entity   Entity
	Start    time.Time
	End      time.Time
	Location *time.Location
}

// LocalTime writes t as the people an appointment is for read it: in the zone loc, with the zone's name —
// "Friday 4 December 2026, 12:00 (Europe/Tallinn)".
func LocalTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Monday 2 January 2006, 15:04") + " (" + loc.String() + ")"
}

// LocalEnd writes the end of an appointment that starts at start: its clock time ("12:20") on the same
// local day, else in full as LocalTime.
func LocalEnd(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	if s.YearDay() == e.YearDay() && s.Year() == e.Year() {
		return e.Format("15:04")
	}
	return LocalTime(end, loc)
}
