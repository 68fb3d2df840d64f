package expr

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// doubling writes a context whose entries each double the one before: linear text, exponential value.
func doubling(first string, levels int, double func(prev string) string) string {
	var b strings.Builder
	b.WriteString("{k0: " + first)
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, ", k%d: %s", i, double(fmt.Sprintf("k%d", i-1)))
	}
	b.WriteString("}")
	return b.String()
}

func TestHostileExpressionsStopWithinBounds(t *testing.T) {
	strs := doubling(`"xxxxxxxx"`, 40, func(p string) string { return p + " + " + p })
	short := doubling(`"x"`, 19, func(p string) string { return p + " + " + p })
	wide := doubling(`"ɐ"`, 18, func(p string) string { return p + " + " + p }) // ɐ is 2 bytes, Ɐ 3
	lists := doubling(`[1, 2]`, 40, func(p string) string { return "[" + p + ", " + p + "]" })
	cases := []struct {
		name, src, err string
	}{
		{"string doubling", "=" + strs, "longer than"},
		{"list sharing written out", "=" + lists, "larger than"},
		{"deep equality of shared lists", "=" + lists + ".k40 = " + lists + ".k40", ErrBudget.Error()},
		{"string() of shared lists", "=string(" + lists + ")", "longer than"},
		{"membership in shared lists", "=" + lists + ".k40 in [0, " + lists + ".k40]", ErrBudget.Error()},
		{"list contains of shared lists", "=list contains([" + lists + ".k40], " + lists + ".k40)", ErrBudget.Error()},
		{"upper case of a doubled string", "=upper case(" + wide + ".k18 + " + wide + ".k18)", "longer than"},
		{"contains over doubled strings", "=" + strings.Repeat("contains("+short+".k19, \"y\") or ", 50) + "false", ErrBudget.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			e, err := Compile(c.src)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			_, err = e.EvalAt(nil, testNow)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("Eval error = %v, want one containing %q", err, c.err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("stopping took %v", took)
			}
		})
	}
}

func TestBudgetErrorIsRecognisable(t *testing.T) {
	src := doubling(`[1, 2]`, 40, func(p string) string { return "[" + p + ", " + p + "]" })
	_, err := mustCompile(t, "="+src+".k40 = "+src+".k40").Eval(nil)
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("err = %v, want ErrBudget", err)
	}
}

func TestCompileLimits(t *testing.T) {
	for name, src := range map[string]string{
		"too long":       "=" + strings.Repeat("a + ", maxSource/4) + "a",
		"nested parens":  "=" + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100),
		"nested lists":   "=" + strings.Repeat("[", 100) + strings.Repeat("]", 100),
		"nested minus":   "=" + strings.Repeat("-", 100) + "1",
		"nested context": "=" + strings.Repeat("{a: ", 100) + "1" + strings.Repeat("}", 100),
		"nested if":      "=" + strings.Repeat("if t then 1 else ", 100) + "2",
		"nested not":     "=" + strings.Repeat("not(", 100) + "t" + strings.Repeat(")", 100),
	} {
		var ce *CompileError
		if _, err := Compile(src); !errors.As(err, &ce) {
			t.Errorf("%s: Compile = %v, want a *CompileError", name, err)
		}
	}
	// Just inside the limits compiles.
	mustCompile(t, "="+strings.Repeat("(", 50)+"1"+strings.Repeat(")", 50))
	mustCompile(t, "="+strings.Repeat("a + ", 1000)+"a")
}

func TestProjectionOfAHugeListIsRefused(t *testing.T) {
	big := make([]any, maxList+1)
	for i := range big {
		big[i] = map[string]any{"x": 1.0}
	}
	_, err := mustCompile(t, "=items.x").Eval(map[string]any{"items": big})
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("err = %v", err)
	}
	got, err := mustCompile(t, "=items.x").Eval(map[string]any{"items": big[:maxList]})
	if err != nil || len(got.([]any)) != maxList {
		t.Fatalf("a list at the limit: %v", err)
	}
}

func TestResultIsACopyInCanonicalTypes(t *testing.T) {
	inner := map[string]any{"n": 1}
	vars := map[string]any{"x": map[string]any{"inner": inner, "list": []int{1, 2}}}
	got, err := mustCompile(t, "=x").Eval(vars)
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if !same(m["list"], []any{1, 2}) || !same(m["inner"], map[string]any{"n": 1}) {
		t.Fatalf("result %#v is not in canonical types", got)
	}
	m["inner"].(map[string]any)["n"] = 99.0
	if inner["n"] != 1 {
		t.Fatal("changing the result changed the variables")
	}
	if _, err := mustCompile(t, "=x").Eval(map[string]any{"x": struct{}{}}); err == nil || !strings.Contains(err.Error(), "no type for") {
		t.Fatalf("a Go struct as a result: err = %v", err)
	}
}

// TestConcurrentEvaluation shares one compiled expression between goroutines (run with -race).
func TestConcurrentEvaluation(t *testing.T) {
	e := mustCompile(t, `={total: sum(bids.price) + extra, best: min(bids.price), ok: extra > 10, at: now()}`)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				extra := float64(g*1000 + i)
				at := testNow.Add(time.Duration(i) * time.Second)
				got, err := e.EvalAt(map[string]any{"bids": testVars()["bids"], "extra": extra}, at)
				want := map[string]any{"total": 180 + extra, "best": 80.0, "ok": extra > 10, "at": at}
				if err != nil || !same(got, want) {
					errs <- fmt.Errorf("goroutine %d eval %d: %#v, %v; want %#v", g, i, got, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDeterministic(t *testing.T) {
	vars := testVars()
	vars["big"] = map[string]any{"z": 1.0, "a": []any{3.0, "x"}, "m": map[string]any{"q": nil, "b": true}}
	e := mustCompile(t, `=string(big) + string(order) + string(labels)`)
	first, err := e.EvalAt(vars, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if got, _ := e.EvalAt(vars, testNow); got != first {
			t.Fatalf("string() of contexts varies: %q then %q", first, got)
		}
	}
	if want := `{a:[3, "x"], m:{b:true, q:null}, z:1}`; !strings.HasPrefix(first.(string), want) {
		t.Fatalf("string(big) = %q, want prefix %q", first, want)
	}
}
