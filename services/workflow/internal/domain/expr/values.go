package expr

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"time"
)

// The values an expression sees and returns. Results use the same few Go types, whatever the inputs were:
//
//	null                nil
//	number              float64 (inputs may be any Go integer or float, or json.Number)
//	string, boolean     string, bool
//	list                []any
//	context             map[string]any
//	date and time       time.Time
//	date                Date
//	duration            Duration

// toNumber reads any Go number as FEEL's single number type. JSON gives float64; Go callers pass ints.
func toNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

// number returns f as a FEEL number, or null when the arithmetic left the numbers (NaN, ±Inf): FEEL has
// no such values.
func number(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	if f == 0 {
		return 0.0 // no negative zero: -0 prints and compares like 0
	}
	return f
}

// decimal is the result of arithmetic, rounded to 15 significant digits: float64 holds a little under 16,
// so the rounding removes binary noise and makes 0.1 + 0.2 = 0.3 as in FEEL's decimal numbers. Whole
// numbers are left alone, so integers up to 2^53 stay exact.
func decimal(f float64) any {
	if f != math.Trunc(f) && !math.IsInf(f, 0) {
		f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	}
	return number(f)
}

// asList reads a FEEL list: []any from JSON, or any other Go slice or array.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	if v == nil {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false // []byte is not a list a process designer wrote
	}
	l := make([]any, rv.Len())
	for i := range l {
		l[i] = rv.Index(i).Interface()
	}
	return l, true
}

// asContext reads a FEEL context: map[string]any from JSON, or any Go map with string keys.
func asContext(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	if v == nil {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	m := make(map[string]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		m[it.Key().String()] = it.Value().Interface()
	}
	return m, true
}

// typeName names v's FEEL type, for error messages a process designer reads.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case time.Time:
		return "date and time"
	case Date:
		return "date"
	case Duration:
		return "duration"
	}
	if _, ok := toNumber(v); ok {
		return "number"
	}
	if _, ok := asList(v); ok {
		return "list"
	}
	if _, ok := asContext(v); ok {
		return "context"
	}
	return "unsupported value of Go type " + reflect.TypeOf(v).String()
}
