package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is one of FEEL's two durations: years and months (P1Y2M, counted in calendar months) or days and
// time (P1DT2H, an exact length; a day is 24 hours). FEEL keeps them apart because a month has no fixed
// length; one duration never mixes the two.
type Duration struct {
	YearMonth bool          // a years-and-months duration; Months holds it
	Months    int64         // whole months, for a years-and-months duration
	Time      time.Duration // the length, for a days-and-time duration
}

// String writes the duration in ISO 8601 as FEEL does: P1Y2M, P1DT2H3M4.5S, -PT1H, P0M, PT0S.
func (d Duration) String() string {
	var b strings.Builder
	if d.YearMonth {
		m := d.Months
		if m < 0 {
			b.WriteByte('-')
			m = -m
		}
		b.WriteByte('P')
		if y := m / 12; y > 0 {
			b.WriteString(strconv.FormatInt(y, 10) + "Y")
		}
		if m%12 > 0 || m == 0 {
			b.WriteString(strconv.FormatInt(m%12, 10) + "M")
		}
		return b.String()
	}
	t := d.Time
	if t < 0 {
		b.WriteByte('-')
		t = -t // a time.Duration of -292 years does not occur: parseDuration bounds it
	}
	b.WriteByte('P')
	if days := t / (24 * time.Hour); days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10) + "D")
		t -= days * 24 * time.Hour
	}
	if t > 0 || b.Len() <= 2 {
		b.WriteByte('T')
		h, m := t/time.Hour, (t%time.Hour)/time.Minute
		s := t % time.Minute
		if h > 0 {
			b.WriteString(strconv.FormatInt(int64(h), 10) + "H")
		}
		if m > 0 {
			b.WriteString(strconv.FormatInt(int64(m), 10) + "M")
		}
		if s > 0 || (h == 0 && m == 0) {
			b.WriteString(strconv.FormatFloat(s.Seconds(), 'f', -1, 64) + "S")
		}
	}
	return b.String()
}

// MarshalJSON writes the duration as its ISO 8601 string, the way variables are stored.
func (d Duration) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// parseDuration reads a FEEL duration: [-]P[nY][nM][nW][nD][T[nH][nM][n[.n]S]], with the components in that
// order, each at most once, and not years or months together with days or time.
func parseDuration(s string) (Duration, error) {
	bad := func(why string) (Duration, error) {
		return Duration{}, fmt.Errorf("not a duration (e.g. P1D, PT5M, P1Y2M): %s", why)
	}
	rest, neg := strings.CutPrefix(s, "-")
	rest, ok := strings.CutPrefix(rest, "P")
	if !ok || rest == "" || strings.HasSuffix(rest, "T") {
		return bad("it must start with P and name at least one component")
	}
	datePart, timePart, _ := strings.Cut(rest, "T")
	dateVals, err := components(datePart, "YMWD")
	if err != nil {
		return bad(err.Error())
	}
	timeVals, err := components(timePart, "HMS")
	if err != nil {
		return bad(err.Error())
	}
	sign := 1.0
	if neg {
		sign = -1
	}
	yearMonth := strings.ContainsAny(datePart, "YM")
	dayTime := strings.ContainsAny(datePart, "WD") || timePart != ""
	if yearMonth && dayTime {
		return bad("years and months cannot be combined with days or time in FEEL")
	}
	if yearMonth {
		months := (dateVals['Y']*12 + dateVals['M']) * sign
		if months != math.Trunc(months) || math.Abs(months) > maxMonths {
			return bad("years and months must be whole and under 10000 years")
		}
		return Duration{YearMonth: true, Months: int64(months)}, nil
	}
	secs := (dateVals['W']*7*86400 + dateVals['D']*86400 + timeVals['H']*3600 + timeVals['M']*60 + timeVals['S']) * sign
	if math.Abs(secs) > maxDurationTime.Seconds() {
		return bad("longer than 200 years")
	}
	return Duration{Time: time.Duration(math.Round(secs * 1e9))}, nil
}

// components reads "1Y2M" into {'Y': 1, 'M': 2}, the designators in the order of allowed, each once; only
// the last component of the time part (seconds) may have a fraction.
func components(s, allowed string) (map[byte]float64, error) {
	vals := map[byte]float64{}
	next := 0
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
		if i <= 0 {
			return nil, fmt.Errorf("expected a number before a designator in %q", s)
		}
		num, designator := s[:i], s[i]
		at := strings.IndexByte(allowed[next:], designator)
		if at < 0 {
			return nil, fmt.Errorf("unexpected or repeated designator %q", designator)
		}
		if strings.Contains(num, ".") && designator != 'S' {
			return nil, fmt.Errorf("only seconds may have a fraction")
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || len(num) > 12 {
			return nil, fmt.Errorf("bad number %q", num)
		}
		vals[designator] = v
		next += at + 1
		s = s[i+1:]
	}
	return vals, nil
}
