package timer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Period is an ISO 8601 duration as a timer counts it: calendar years, months and days, added in the
// timer's time zone (P1D is the same clock time the next day, 23 or 25 hours across a daylight saving
// change; P1M from January 31 is the last day of February), then an exact time (PT2H is 2 hours). Or a
// number of working days (the custom form P10WD) on the engine's calendar.
type Period struct {
	Years, Months, Days int // weeks (P2W) are counted as days
	Time                time.Duration
	WorkingDays         int
}

// maxPeriod bounds a period's approximate length, far beyond any process and well inside the years
// time.Time computes with.
const maxPeriod = 36525 * 24 * time.Hour // 100 years of 365.25 days

// String writes the period in ISO 8601.
func (p Period) String() string {
	if p.WorkingDays > 0 {
		return "P" + strconv.Itoa(p.WorkingDays) + "WD"
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, c := range []struct {
		n    int
		unit string
	}{{p.Years, "Y"}, {p.Months, "M"}, {p.Days, "D"}} {
		if c.n != 0 {
			b.WriteString(strconv.Itoa(c.n) + c.unit)
		}
	}
	if t := p.Time; t > 0 || b.Len() == 1 {
		b.WriteByte('T')
		h, m, s := t/time.Hour, t%time.Hour/time.Minute, t%time.Minute
		if h > 0 {
			b.WriteString(strconv.FormatInt(int64(h), 10) + "H")
		}
		if m > 0 {
			b.WriteString(strconv.FormatInt(int64(m), 10) + "M")
		}
		if s > 0 || t == 0 {
			b.WriteString(strconv.FormatFloat(s.Seconds(), 'f', -1, 64) + "S")
		}
	}
	return b.String()
}

// approx is the period's length with average months and years: good enough to estimate how many periods
// fit between two instants, never used for a due time itself.
func (p Period) approx() time.Duration { return time.Duration(p.approxSeconds() * 1e9) }

func (p Period) approxSeconds() float64 {
	days := float64(p.Years)*365.2425 + float64(p.Months)*30.436875 + float64(p.Days) + float64(p.WorkingDays)*7/5
	return days*86400 + p.Time.Seconds()
}

// times returns t plus k times the period, in loc: months and days first (so the k-th of a monthly cycle
// from January 31 is the end of each month, without drift), then the exact time. ok is false when the
// result would leave the years a timer can mean.
func (p Period) times(t time.Time, k int, loc *time.Location) (time.Time, bool) {
	if k < 0 || (p.Time > 0 && int64(k) > math.MaxInt64/int64(p.Time)) {
		return time.Time{}, false
	}
	months := (int64(p.Years)*12 + int64(p.Months)) * int64(k)
	days := int64(p.Days) * int64(k)
	if months > 12*10000 || days > 366*10000 {
		return time.Time{}, false
	}
	out := addMonths(t.In(loc), months)
	out = out.AddDate(0, 0, int(days)).Add(p.Time * time.Duration(k))
	if out.Year() > 9999 {
		return time.Time{}, false
	}
	return out, true
}

// addMonths moves t by whole months and keeps the day within the month it lands in (java.time's rule,
// which Camunda follows): January 31 plus one month is February 28 (29 in a leap year).
func addMonths(t time.Time, months int64) time.Time {
	if months == 0 {
		return t
	}
	y, m, d := t.Date()
	total := int64(y)*12 + int64(m-1) + months
	ny, nm := int(total/12), time.Month(total%12+1)
	if last := time.Date(ny, nm+1, 0, 0, 0, 0, 0, time.UTC).Day(); d > last {
		d = last
	}
	return time.Date(ny, nm, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// parsePeriod reads P[nY][nM][nW][nD][T[nH][nM][n[.n]S]] (the components in this order, each at most
// once, only seconds with a fraction, at least one component) or PnWD.
func parsePeriod(s string) (Period, error) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return Period{}, errors.New("a duration starts with P (e.g. PT5M, P1D, P10WD)")
	}
	if n, ok := strings.CutSuffix(rest, "WD"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > 10000 || strings.TrimLeft(n, "0123456789") != "" {
			return Period{}, errors.New("working days are written PnWD with n a whole number from 1 to 10000 (e.g. P10WD)")
		}
		return Period{WorkingDays: days}, nil
	}
	datePart, timePart, hasT := strings.Cut(rest, "T")
	if rest == "" || (hasT && timePart == "") {
		return Period{}, errors.New("a duration names at least one component after P and after T")
	}
	dv, err := components(datePart, "YMWD")
	if err != nil {
		return Period{}, err
	}
	tv, err := components(timePart, "HMS")
	if err != nil {
		return Period{}, err
	}
	secs := tv['H']*3600 + tv['M']*60 + tv['S']
	days := dv['Y']*365.2425 + dv['M']*30.436875 + dv['W']*7 + dv['D']
	if days*86400+secs > maxPeriod.Seconds() { // checked on floats, before any conversion can overflow
		return Period{}, fmt.Errorf("a duration may be at most %d years", int(maxPeriod.Hours()/24/365))
	}
	return Period{Years: int(dv['Y']), Months: int(dv['M']), Days: int(dv['W']*7 + dv['D']),
		Time: time.Duration(math.Round(secs * 1e9))}, nil
}

// components reads "1Y2M" into {'Y': 1, 'M': 2}: designators in the order of allowed, each at most once.
func components(s, allowed string) (map[byte]float64, error) {
	vals := map[byte]float64{}
	next := 0
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
		if i <= 0 {
			return nil, fmt.Errorf("expected a number before each designator, at %q", s)
		}
		num, designator := s[:i], s[i]
		at := strings.IndexByte(allowed[next:], designator)
		if at < 0 {
			return nil, fmt.Errorf("unexpected or repeated designator %q (order: %s)", designator, allowed)
		}
		if strings.Contains(num, ".") && designator != 'S' {
			return nil, errors.New("only seconds may have a fraction")
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || len(num) > 12 {
			return nil, fmt.Errorf("%q is not a number a duration can hold", num)
		}
		vals[designator] = v
		next += at + 1
		s = s[i+1:]
	}
	return vals, nil
}
