package expr

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// testNow is the instant now() returns in the tables.
var testNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

type status string // a named string type, as a Go caller may pass

// testVars are the variables the tables evaluate against: JSON-shaped values, as the engine stores them,
// and a few Go-typed ones.
func testVars() map[string]any {
	return map[string]any{
		"a": 1.0, "b": 2.0, "n": 5, "i64": int64(7), "u8": uint8(3), "f32": float32(0.5),
		"s": "hello", "empty": "", "t": true, "f": false, "nothing": nil,
		"num": json.Number("3.5"), "st": status("open"),
		"amount":    1500.0,
		"decision":  "approve",
		"approved":  true,
		"panel":     []any{"alice", "bob", "carol"},
		"scores":    []any{80.0, 90.0, 70.0},
		"ints":      []int{1, 2, 3},
		"strs":      []string{"x", "y"},
		"mixed":     []any{1.0, "a", nil, true},
		"emptyList": []any{},
		"order": map[string]any{
			"amount":   1500.0,
			"customer": map[string]any{"name": "Anna", "country": "EE", "vip": true},
			"items":    []any{map[string]any{"sku": "A1", "qty": 2.0}, map[string]any{"sku": "B2", "qty": 1.0}},
		},
		"bids": []any{
			map[string]any{"supplier": "Alpha", "price": 100.0, "valid": true},
			map[string]any{"supplier": "Beta", "price": 80.0, "valid": false},
		},
		"labels":    map[string]string{"en": "Tender", "et": "Hange"},
		"due":       "2026-12-24T09:00:00+02:00",
		"deadline":  time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC),
		"day":       Date{2026, 2, 28},
		"tender":    map[string]any{"id": "T-1", "closes": "2026-04-01T12:00:00Z", "lots": 3.0},
		"weird key": 42.0,
	}
}

// same compares a result with the expected value: instants by Equal, everything else deeply, with the
// expected numbers written as Go ints or floats.
func same(got, want any) bool {
	switch w := want.(type) {
	case int:
		return reflect.DeepEqual(got, float64(w))
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !same(g[i], w[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !same(g[k], w[k]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}

type evalCase struct {
	src  string
	want any
}

// runTable compiles and evaluates every case against testVars at testNow.
func runTable(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		e, err := Compile(c.src)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.src, err)
			continue
		}
		got, err := e.EvalAt(testVars(), testNow)
		if err != nil {
			t.Errorf("Eval(%q): %v", c.src, err)
			continue
		}
		if !same(got, c.want) {
			t.Errorf("Eval(%q) = %s, want %s (translated: %s)", c.src, show(got), show(c.want), e.code)
		}
	}
}

func show(v any) string { return fmt.Sprintf("%#v", v) }

func mustCompile(t testing.TB, src string) *Expression {
	t.Helper()
	e, err := Compile(src)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return e
}
