package domain

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
)

// Reasons for errors of this BB (the gRPC layer prefixes GOVSTACK_SCHEDULING_).
const (
	ReasonInvalidTime     = "INVALID_TIME"
	ReasonInvalidFilter   = "INVALID_FILTER"
	ReasonInvalidInput    = "INVALID_INPUT"
	ReasonSlotTaken       = "SLOT_ALREADY_BOOKED"
	ReasonNotASlot        = "NOT_A_FREE_SLOT"
	ReasonNotFound        = "NOT_FOUND"
	ReasonNotActive       = "APPOINTMENT_NOT_ACTIVE"
	ReasonIdentity        = "IDENTITY_MISMATCH"
	ReasonCheckInClosed   = "CHECK_IN_CLOSED"
	ReasonSignInRequired  = "SIGN_IN_REQUIRED"
	ReasonDeadlineFired   = "DEADLINE_ALREADY_FIRED"
	ReasonInPast          = "SLOT_IN_PAST"
	ReasonUnknownTimeZone = "UNKNOWN_TIME_ZONE"
	// ReasonPermissionDenied: a signed-in citizen asked for something only staff or an IM client may do.
	ReasonPermissionDenied = "PERMISSION_DENIED"
)

// ParseTime reads an ISO 8601 / RFC 3339 instant (an offset or Z is required: a time without one is
// ambiguous across time zones).
func ParseTime(field, v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, apierr.Invalid(ReasonInvalidTime, field+" is required",
			apierr.FieldViolation{Field: field, Description: "required, RFC 3339 e.g. 2026-03-30T09:00:00+03:00"})
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, apierr.Invalid(ReasonInvalidTime, fmt.Sprintf("%s: %q is not an RFC 3339 time with an offset", field, clip(v)),
			apierr.FieldViolation{Field: field, Description: "must be RFC 3339 with an offset, e.g. 2026-03-30T09:00:00+03:00"})
	}
	return t.UTC(), nil
}

// ParseOptionalTime is ParseTime that accepts an empty value as the zero time.
func ParseOptionalTime(field, v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, nil
	}
	return ParseTime(field, v)
}

// ParseRange reads a from/to pair for slot queries: both required, to after from, at most MaxSlotRange.
func ParseRange(from, to string) (Interval, error) {
	f, err := ParseTime("from", from)
	if err != nil {
		return Interval{}, err
	}
	t, err := ParseTime("to", to)
	if err != nil {
		return Interval{}, err
	}
	if !t.After(f) {
		return Interval{}, apierr.Invalid(ReasonInvalidFilter, "to must be after from", apierr.FieldViolation{Field: "to", Description: "must be after from"})
	}
	if t.Sub(f) > MaxSlotRange {
		return Interval{}, apierr.Invalid(ReasonInvalidFilter, "from–to may span at most 31 days",
			apierr.FieldViolation{Field: "to", Description: "at most 31 days after from"})
	}
	return Interval{f, t}, nil
}

// ParseTimeFilter reads optional from/to list filters; nil is "open".
func ParseTimeFilter(from, to string) (*time.Time, *time.Time, error) {
	f, err := ParseOptionalTime("from", from)
	if err != nil {
		return nil, nil, err
	}
	t, err := ParseOptionalTime("to", to)
	if err != nil {
		return nil, nil, err
	}
	return timePtr(f), timePtr(t), nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// maxLeaveDays bounds one leave period (a year): longer ones are almost certainly a typo in the year.
const maxLeaveDays = 366

// ParseLeave reads the from/to of a resource's leave or holiday: to after from, at most a year later.
func ParseLeave(from, to string) (Interval, error) {
	f, err := ParseTime("from", from)
	if err != nil {
		return Interval{}, err
	}
	t, err := ParseTime("to", to)
	if err != nil {
		return Interval{}, err
	}
	if !t.After(f) || t.Sub(f).Hours() > 24*maxLeaveDays {
		return Interval{}, apierr.Invalid(ReasonInvalidTime, "to must be after from, at most a year later",
			apierr.FieldViolation{Field: "to", Description: "after from, at most 366 days later"})
	}
	return Interval{f, t}, nil
}

// ParseStatus reads an appointment status filter ("" = any).
func ParseStatus(v string) (Status, error) {
	switch s := Status(strings.ToLower(strings.TrimSpace(v))); s {
	case "", StatusBooked, StatusCheckedIn, StatusCancelled:
		return s, nil
	}
	return "", apierr.Invalid(ReasonInvalidFilter, fmt.Sprintf("status %q is not one of booked, checked_in, cancelled", clip(v)),
		apierr.FieldViolation{Field: "status", Description: "one of booked, checked_in, cancelled"})
}

// Required returns an InvalidArgument naming field when v is blank.
func Required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return apierr.Invalid(ReasonInvalidInput, field+" is required", apierr.FieldViolation{Field: field, Description: "required"})
	}
	return nil
}

// bookingAlphabet has no 0/O or 1/I, so a code read out at a desk is not misheard.
const bookingAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewBookingCode returns an 8-character code the citizen shows at check-in.
func NewBookingCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error since Go 1.24)
	for i := range b {
		b[i] = bookingAlphabet[int(b[i])%len(bookingAlphabet)]
	}
	return string(b)
}

// ParseHours reads the i-th of an affiliation's working periods as the API gives it: a weekday 0 (Sunday)
// to 6 and local "HH:MM" times, start before end.
func ParseHours(i, weekday int, start, end string) (Hours, error) {
	s, err1 := ParseHHMM(start)
	e, err2 := ParseHHMM(end)
	if weekday < 0 || weekday > 6 || err1 != nil || err2 != nil || s >= e {
		field := fmt.Sprintf("work_days_hours[%d]", i)
		return Hours{}, apierr.Invalid(ReasonInvalidInput, field+": weekday 0–6 and start before end, as HH:MM",
			apierr.FieldViolation{Field: field, Description: "weekday 0 (Sunday)–6, start and end HH:MM local, start before end"})
	}
	return Hours{Weekday: time.Weekday(weekday), StartMinute: s, EndMinute: e}, nil
}

// CheckID validates a uuid id, so a malformed one is a clear 400 rather than a database error.
func CheckID(field, id string) error {
	if err := Required(field, id); err != nil {
		return err
	}
	if _, err := uuid.Parse(id); err != nil {
		return apierr.Invalid(ReasonInvalidInput, field+" is not a valid id", apierr.FieldViolation{Field: field, Description: "must be a UUID"})
	}
	return nil
}

// ParseHHMM reads a local wall-clock time "HH:MM" as minutes after midnight ("24:00" is the next midnight).
func ParseHHMM(v string) (int, error) {
	// Exactly two digits, a colon and two digits: "10:00pm" or "9:5" is a mistake to report, not to guess.
	hh, mm, ok := strings.Cut(v, ":")
	h, okH := twoDigits(hh)
	m, okM := twoDigits(mm)
	if !ok || !okH || !okM || m > 59 || h*60+m > 1440 {
		return 0, fmt.Errorf("%q is not HH:MM", v)
	}
	return h*60 + m, nil
}

// twoDigits reads exactly two ASCII digits.
func twoDigits(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// clip shortens what a caller sent to quote it in a message, at a character boundary: cut inside one, the
// message would show the half character as \xc3.
func clip(s string) string {
	if len(s) <= 100 {
		return s
	}
	cut := 100
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
