package expr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// property is x.name on a temporal value, as FEEL defines them; null for anything else.
func property(v any, name string) any {
	switch x := v.(type) {
	case time.Time:
		switch name {
		case "hour":
			return float64(x.Hour())
		case "minute":
			return float64(x.Minute())
		case "second":
			return float64(x.Second())
		}
		return property(dateOf(x), name)
	case Date:
		switch name {
		case "year":
			return float64(x.Year)
		case "month":
			return float64(x.Month)
		case "day":
			return float64(x.Day)
		case "weekday": // ISO 8601: Monday is 1, Sunday 7
			return float64((int(x.midnight().Weekday())+6)%7 + 1)
		}
	case Duration:
		return durationProperty(x, name)
	}
	return nil
}

func durationProperty(d Duration, name string) any {
	if d.YearMonth {
		switch name {
		case "years":
			return float64(d.Months / 12)
		case "months":
			return float64(d.Months % 12)
		}
		return nil
	}
	switch name {
	case "days":
		return float64(d.Time / (24 * time.Hour))
	case "hours":
		return float64(d.Time % (24 * time.Hour) / time.Hour)
	case "minutes":
		return float64(d.Time % time.Hour / time.Minute)
	case "seconds":
		return float64(d.Time%time.Minute) / float64(time.Second)
	}
	return nil
}

// toFEELString is FEEL's string(x): numbers without trailing zeros, temporal values in ISO 8601, lists and
// contexts written out (context keys in order, so the text is the same every time). string(null) is null.
func toFEELString(r *run, a []any) (any, error) {
	if a[0] == nil {
		return nil, nil
	}
	if s, ok := asString(a[0]); ok {
		return s, nil
	}
	var b strings.Builder
	if err := writeValue(r, &b, a[0], false); err != nil {
		return nil, err
	}
	return b.String(), nil
}

// writeValue writes v; quoteStrings is set inside lists and contexts, where "1" and 1 must differ.
func writeValue(r *run, b *strings.Builder, v any, quoteStrings bool) error {
	if err := r.spend(1); err != nil {
		return err
	}
	if b.Len() > maxString {
		return fmt.Errorf("a string would be longer than %d bytes", maxString)
	}
	if s, ok := asString(v); ok {
		if quoteStrings {
			s = strconv.Quote(s)
		}
		b.WriteString(s)
		return r.spend(len(s) / 64)
	}
	if l, ok := asList(v); ok {
		b.WriteByte('[')
		for i, item := range l {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writeValue(r, b, item, true); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	if m, ok := asContext(v); ok {
		b.WriteByte('{')
		for i, k := range sortedKeys(m) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + ":")
			if err := writeValue(r, b, m[k], true); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	}
	b.WriteString(scalarString(v))
	return nil
}

// scalarString writes a value that is neither a string, a list nor a context.
func scalarString(v any) string {
	if x, ok := toNumber(v); ok {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return dateTimeString(x)
	case fmt.Stringer: // Date, Duration
		return x.String()
	}
	return fmt.Sprintf("%v", v)
}

// dateTimeString writes a date and time with its offset, or with its zone name the way FEEL does
// (2026-12-24T09:00:00@Europe/Tallinn) when it was given in a named zone.
func dateTimeString(t time.Time) string {
	name := t.Location().String()
	if name == "UTC" || name == "Local" || name == "" {
		return t.Format(time.RFC3339Nano)
	}
	return t.Format("2006-01-02T15:04:05.999999999") + "@" + name
}

// canonicalScalar gives a number as float64 and a named string type as string; other values unchanged.
func canonicalScalar(v any) any {
	if x, ok := toNumber(v); ok {
		return number(x)
	}
	if s, ok := asString(v); ok {
		return s
	}
	return v
}
