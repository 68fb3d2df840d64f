package expr

import (
	"cmp"
	"reflect"
	"slices"
	"time"
)

// asString reads a string, also of a named string type a Go caller may pass (type Status string).
func asString(v any) (string, bool) {
	if s, ok := v.(string); ok {
		return s, true
	}
	if v == nil {
		return "", false
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

// equal is FEEL's =: null equals only null, numbers compare by value (1 = 1.0), lists item by item,
// contexts key by key; values of different types are not equal. Deep comparisons are paid for from the
// evaluation's budget, so a value built to be huge cannot stall the engine.
func equal(r *run, a, b any) (bool, error) {
	if err := r.spend(1); err != nil {
		return false, err
	}
	if a == nil || b == nil {
		return a == nil && b == nil, nil
	}
	if x, ok := toNumber(a); ok {
		y, ok := toNumber(b)
		return ok && x == y, nil
	}
	if x, ok := asString(a); ok {
		y, ok := asString(b)
		return ok && x == y, r.spend(len(x) / 64)
	}
	switch x := a.(type) {
	case bool:
		y, ok := b.(bool)
		return ok && x == y, nil
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y), nil
	case Date:
		y, ok := b.(Date)
		return ok && x == y, nil
	case Duration:
		y, ok := b.(Duration)
		return ok && x == y, nil
	}
	if xl, ok := asList(a); ok {
		return equalLists(r, xl, b)
	}
	if xm, ok := asContext(a); ok {
		return equalContexts(r, xm, b)
	}
	return false, nil
}

func equalLists(r *run, xl []any, b any) (bool, error) {
	yl, ok := asList(b)
	if !ok || len(xl) != len(yl) {
		return false, nil
	}
	for i := range xl {
		if eq, err := equal(r, xl[i], yl[i]); err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}

// equalContexts compares in key order, so whether a comparison runs out of budget does not depend on Go's
// map order.
func equalContexts(r *run, xm map[string]any, b any) (bool, error) {
	ym, ok := asContext(b)
	if !ok || len(xm) != len(ym) {
		return false, nil
	}
	for _, k := range sortedKeys(xm) {
		w, ok := ym[k]
		if !ok {
			return false, nil
		}
		if eq, err := equal(r, xm[k], w); err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// order compares two values FEEL can order: numbers, strings, dates and times, dates, and durations of
// the same kind. ok is false for anything else (null included): then every comparison is false.
func order(a, b any) (c int, ok bool) {
	if x, ok := toNumber(a); ok {
		y, ok := toNumber(b)
		return cmp.Compare(x, y), ok
	}
	if x, ok := asString(a); ok {
		y, ok := asString(b)
		return cmp.Compare(x, y), ok
	}
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return x.Compare(y), ok
	case Date:
		y, ok := b.(Date)
		return x.midnight().Compare(y.midnight()), ok
	case Duration:
		y, ok := b.(Duration)
		if !ok || x.YearMonth != y.YearMonth {
			return 0, false
		}
		if x.YearMonth {
			return cmp.Compare(x.Months, y.Months), true
		}
		return cmp.Compare(x.Time, y.Time), true
	}
	return 0, false
}
