package expr

import (
	"fmt"
	"math"
	"time"
)

// FEEL arithmetic: on numbers, on strings (+ concatenates), and on dates, times and durations. Any other
// combination, null included, is null — FEEL does not fail on a wrong type, it yields null.

func add(r *run, a, b any) (any, error) {
	if x, ok := toNumber(a); ok {
		if y, ok := toNumber(b); ok {
			return decimal(x + y), nil
		}
		return nil, nil
	}
	if x, ok := asString(a); ok {
		if y, ok := asString(b); ok {
			return concat(r, x, y)
		}
		return nil, nil
	}
	if d, ok := b.(Duration); ok {
		return shift(a, d)
	}
	if d, ok := a.(Duration); ok {
		return shift(b, d)
	}
	return nil, nil
}

func concat(r *run, x, y string) (any, error) {
	if len(x)+len(y) > maxString {
		return nil, fmt.Errorf("a string would be longer than %d bytes", maxString)
	}
	return x + y, r.spend((len(x) + len(y)) / 64)
}

// shift adds a duration to a date and time, a date, or a duration of the same kind.
func shift(v any, d Duration) (any, error) {
	switch x := v.(type) {
	case time.Time:
		if d.YearMonth {
			return addMonths(x, d.Months), nil
		}
		return x.Add(d.Time), nil
	case Date:
		if d.YearMonth {
			return dateOf(addMonths(x.midnight(), d.Months)), nil
		}
		return dateOf(x.midnight().Add(d.Time)), nil
	case Duration:
		if x.YearMonth != d.YearMonth {
			return nil, nil
		}
		return bounded(Duration{YearMonth: x.YearMonth, Months: x.Months + d.Months, Time: x.Time + d.Time}), nil
	}
	return nil, nil
}

func sub(r *run, a, b any) (any, error) {
	if x, ok := toNumber(a); ok {
		if y, ok := toNumber(b); ok {
			return decimal(x - y), nil
		}
		return nil, nil
	}
	if d, ok := b.(Duration); ok {
		return shift(a, negate(d))
	}
	switch x := a.(type) {
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return bounded(Duration{Time: x.Sub(y)}), nil
		}
	case Date:
		if y, ok := b.(Date); ok {
			return bounded(Duration{Time: x.midnight().Sub(y.midnight())}), nil
		}
	}
	return nil, nil
}

// maxDurationTime and maxMonths bound durations well inside time.Duration's ±292 years, so sums of two
// bounded durations cannot overflow.
const (
	maxDurationTime = 200 * 365 * 24 * time.Hour
	maxMonths       = 12 * 10000
)

// bounded is d, or null when it is longer than a duration may be.
func bounded(d Duration) any {
	if d.Months > maxMonths || d.Months < -maxMonths || d.Time > maxDurationTime || d.Time < -maxDurationTime {
		return nil
	}
	return d
}

func negate(d Duration) Duration {
	return Duration{YearMonth: d.YearMonth, Months: -d.Months, Time: -d.Time}
}

func mul(r *run, a, b any) (any, error) {
	x, xok := toNumber(a)
	y, yok := toNumber(b)
	switch {
	case xok && yok:
		return decimal(x * y), nil
	case xok:
		return scale(b, x)
	case yok:
		return scale(a, y)
	}
	return nil, nil
}

// scale multiplies a duration by a number; a years-and-months duration stays in whole months.
func scale(v any, f float64) (any, error) {
	d, ok := v.(Duration)
	if !ok {
		return nil, nil
	}
	if d.YearMonth {
		m := math.Trunc(float64(d.Months) * f)
		if math.IsNaN(m) || math.Abs(m) > maxMonths {
			return nil, nil
		}
		return Duration{YearMonth: true, Months: int64(m)}, nil
	}
	t := float64(d.Time) * f
	if math.IsNaN(t) || math.Abs(t) > float64(maxDurationTime) {
		return nil, nil
	}
	return Duration{Time: time.Duration(t)}, nil
}

func div(r *run, a, b any) (any, error) {
	x, xok := toNumber(a)
	y, yok := toNumber(b)
	switch {
	case yok && y == 0:
		return nil, nil // FEEL: division by zero is null
	case xok && yok:
		return decimal(x / y), nil
	case yok:
		return scale(a, 1/y)
	}
	if dx, ok := a.(Duration); ok {
		if dy, ok := b.(Duration); ok && dx.YearMonth == dy.YearMonth {
			if dx.YearMonth {
				return ratio(float64(dx.Months), float64(dy.Months)), nil
			}
			return ratio(float64(dx.Time), float64(dy.Time)), nil
		}
	}
	return nil, nil
}

func ratio(x, y float64) any {
	if y == 0 {
		return nil
	}
	return decimal(x / y)
}

func pow(r *run, a, b any) (any, error) {
	x, xok := toNumber(a)
	y, yok := toNumber(b)
	if !xok || !yok {
		return nil, nil
	}
	return decimal(math.Pow(x, y)), nil
}

func neg(r *run, a any) (any, error) {
	if x, ok := toNumber(a); ok {
		return number(-x), nil
	}
	if d, ok := a.(Duration); ok {
		return negate(d), nil
	}
	return nil, nil
}
