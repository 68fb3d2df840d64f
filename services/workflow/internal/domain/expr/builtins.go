package expr

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// builtin is a FEEL function of the subset: its arity, the runtime function it becomes, and, for the
// constructors of temporal values, the compile-time check of a literal argument.
type builtin struct {
	min, max int // number of arguments; max -1 = any number
	fn       string
	impl     func(r *run, args []any) (any, error)
	literal  func(string) (any, error)
}

func (b builtin) arity() string {
	switch {
	case b.max < 0:
		return fmt.Sprintf("%d or more arguments", b.min)
	case b.min == b.max && b.min == 1:
		return "1 argument"
	case b.min == b.max:
		return fmt.Sprintf("%d arguments", b.min)
	}
	return fmt.Sprintf("%d to %d arguments", b.min, b.max)
}

// builtins are the functions a process designer may call, by their FEEL names.
var builtins = map[string]builtin{
	"not":           {1, 1, "f_not", func(r *run, a []any) (any, error) { return not(a[0]), nil }, nil},
	"count":         {1, 1, "f_count", count, nil},
	"sum":           {1, -1, "f_sum", sum, nil},
	"min":           {1, -1, "f_min", extreme(-1), nil},
	"max":           {1, -1, "f_max", extreme(1), nil},
	"contains":      {2, 2, "f_contains", strings2(strings.Contains), nil},
	"starts with":   {2, 2, "f_starts_with", strings2(strings.HasPrefix), nil},
	"ends with":     {2, 2, "f_ends_with", strings2(strings.HasSuffix), nil},
	"string length": {1, 1, "f_string_length", stringLength, nil},
	"upper case":    {1, 1, "f_upper_case", strings1(strings.ToUpper), nil},
	"lower case":    {1, 1, "f_lower_case", strings1(strings.ToLower), nil},
	"list contains": {2, 2, "f_list_contains", listContains, nil},
	"now":           {0, 0, "f_now", func(r *run, _ []any) (any, error) { return r.now, nil }, nil},
	"today":         {0, 0, "f_today", func(r *run, _ []any) (any, error) { return dateOf(r.now), nil }, nil},
	"date and time": {1, 1, "f_date_and_time", toDateTime, anyErr(parseDateTime)},
	"date":          {1, 1, "f_date", toDate, anyErr(parseDate)},
	"duration":      {1, 1, "f_duration", fromString(parseDuration), anyErr(parseDuration)},
	"string":        {1, 1, "f_string", toFEELString, nil},
	"number":        {1, 1, "f_number", toNumberFn, nil},
	"abs":           {1, 1, "f_abs", math1(math.Abs), nil},
	"floor":         {1, 1, "f_floor", math1(math.Floor), nil},
	"ceiling":       {1, 1, "f_ceiling", math1(math.Ceil), nil},
}

// functionName is a built-in's name split into words, as the lexer sees it.
type functionName struct {
	name  string
	words []string
}

// functionNames lists the built-ins most words first, so "date and time(" is matched before "date(".
var functionNames = func() []functionName {
	out := make([]functionName, 0, len(builtins))
	for name := range builtins {
		out = append(out, functionName{name, strings.Fields(name)})
	}
	slices.SortFunc(out, func(a, b functionName) int {
		if len(a.words) != len(b.words) {
			return len(b.words) - len(a.words)
		}
		return strings.Compare(a.name, b.name)
	})
	return out
}()

func supportedFunctions() string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func anyErr[T any](parse func(string) (T, error)) func(string) (any, error) {
	return func(s string) (any, error) { return parse(s) }
}

// fromString applies parse to a string argument; anything else, or a string that does not parse, is null.
func fromString[T any](parse func(string) (T, error)) func(*run, []any) (any, error) {
	return func(r *run, a []any) (any, error) {
		s, ok := asString(a[0])
		if !ok {
			return nil, nil
		}
		v, err := parse(s)
		if err != nil {
			return nil, nil
		}
		return v, nil
	}
}

func strings1(f func(string) string) func(*run, []any) (any, error) {
	return func(r *run, a []any) (any, error) {
		s, ok := asString(a[0])
		if !ok {
			return nil, nil
		}
		if err := r.spend(len(s) / 64); err != nil {
			return nil, err
		}
		if out := f(s); len(out) <= maxString {
			return out, nil
		}
		return nil, fmt.Errorf("a string would be longer than %d bytes", maxString)
	}
}

func strings2(f func(s, part string) bool) func(*run, []any) (any, error) {
	return func(r *run, a []any) (any, error) {
		s, ok1 := asString(a[0])
		part, ok2 := asString(a[1])
		if !ok1 || !ok2 {
			return nil, nil
		}
		return f(s, part), r.spend((len(s) + len(part)) / 64)
	}
}

func stringLength(r *run, a []any) (any, error) {
	if s, ok := asString(a[0]); ok {
		return float64(utf8.RuneCountInString(s)), r.spend(len(s) / 64)
	}
	return nil, nil
}

func math1(f func(float64) float64) func(*run, []any) (any, error) {
	return func(r *run, a []any) (any, error) {
		if x, ok := toNumber(a[0]); ok {
			return number(f(x)), nil
		}
		return nil, nil
	}
}

func not(v any) any {
	if b, ok := v.(bool); ok {
		return !b
	}
	return nil
}

func count(r *run, a []any) (any, error) {
	if l, ok := asList(a[0]); ok {
		return float64(len(l)), nil
	}
	return nil, nil
}

// items are the values sum, min and max work on: one list argument, or the arguments themselves.
func items(a []any) []any {
	if len(a) == 1 {
		if l, ok := asList(a[0]); ok {
			return l
		}
	}
	return a
}

// sum adds numbers; an empty list, or anything not a number in it, gives null.
func sum(r *run, a []any) (any, error) {
	xs := items(a)
	if len(xs) == 0 {
		return nil, nil
	}
	total := 0.0
	for _, v := range xs {
		x, ok := toNumber(v)
		if !ok {
			return nil, nil
		}
		total += x
	}
	return decimal(total), r.spend(len(xs))
}

// extreme is min (sign -1) or max (sign 1) over values FEEL can order; mixed types give null.
func extreme(sign int) func(*run, []any) (any, error) {
	return func(r *run, a []any) (any, error) {
		xs := items(a)
		if len(xs) == 0 {
			return nil, nil
		}
		best := xs[0]
		for _, v := range xs[1:] {
			c, ok := order(v, best)
			if !ok {
				return nil, nil
			}
			if c*sign > 0 {
				best = v
			}
		}
		if _, ok := order(best, best); !ok {
			return nil, nil
		}
		return canonicalScalar(best), r.spend(len(xs))
	}
}

func listContains(r *run, a []any) (any, error) {
	l, ok := asList(a[0])
	if !ok {
		return nil, nil
	}
	return member(r, a[1], l)
}

// member reports whether x equals an item of l.
func member(r *run, x any, l []any) (any, error) {
	for _, v := range l {
		eq, err := equal(r, x, v)
		if err != nil || eq {
			return eq, err
		}
	}
	return false, nil
}

func toDateTime(r *run, a []any) (any, error) {
	switch v := a[0].(type) {
	case time.Time:
		return v, nil
	case Date:
		return v.midnight(), nil
	}
	return fromString(parseDateTime)(r, a)
}

func toDate(r *run, a []any) (any, error) {
	switch v := a[0].(type) {
	case time.Time:
		return dateOf(v), nil
	case Date:
		return v, nil
	}
	return fromString(parseDate)(r, a)
}

// toNumberFn is FEEL's number(s): a string of digits with an optional sign and fraction; null otherwise.
func toNumberFn(r *run, a []any) (any, error) {
	if x, ok := toNumber(a[0]); ok {
		return number(x), nil
	}
	s, ok := asString(a[0])
	if !ok || strings.ContainsAny(s, "eE_xXpPiInN") {
		return nil, nil // no exponents, hex, underscores, Inf or NaN: FEEL numbers are plain decimals
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return nil, nil
	}
	return number(x), nil
}
