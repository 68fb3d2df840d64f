package expr

import (
	"strings"
	"testing"
	"time"
)

// fuzzBound is how long compiling and evaluating one input may take. The real cost is far lower (the budget
// and size limits stop hostile expressions within milliseconds); the bound is loose because fuzzing shares
// two cores with other work.
const fuzzBound = 3 * time.Second

// FuzzCompileEval feeds arbitrary text to Compile and evaluates whatever compiles: nothing may panic, and
// nothing may take longer than fuzzBound.
func FuzzCompileEval(f *testing.F) {
	for _, seed := range seedExpressions() {
		f.Add(seed)
	}
	vars := testVars()
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		e, err := Compile(src)
		if err != nil {
			if _, ok := err.(*CompileError); !ok {
				t.Fatalf("Compile(%q) returned %T, not a *CompileError: %v", src, err, err)
			}
			return
		}
		if e.IsLiteral() == strings.HasPrefix(strings.TrimLeft(src, " \t\r\n"), "=") {
			t.Fatalf("Compile(%q).IsLiteral() = %v", src, e.IsLiteral())
		}
		v, err := e.EvalAt(vars, testNow)
		if err == nil {
			if _, err := normalize(v, new(int)); err != nil {
				t.Fatalf("Eval(%q) returned a value outside the canonical types: %v", src, err)
			}
		}
		_, _ = e.EvalBoolAt(vars, testNow)
		if took := time.Since(start); took > fuzzBound {
			t.Fatalf("Compile and Eval of %q took %v", src, took)
		}
	})
}

// FuzzStringLiteral checks that any text, written as a FEEL string literal, evaluates to itself: the
// translation never re-quotes text into expr syntax.
func FuzzStringLiteral(f *testing.F) {
	for _, seed := range []string{"", "plain", `quote " and \ backslash`, "tab\tnewline\n", "\x00\xff", "ünï", "C[0]", `"+f_var(R,"x")+"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		quoted := `="` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
		e, err := Compile(quoted)
		if err != nil {
			if len(quoted) > maxSource {
				return
			}
			t.Fatalf("Compile(%q): %v", quoted, err)
		}
		got, err := e.Eval(nil)
		if err != nil || got != s {
			t.Fatalf("Eval(%q) = %q, %v; want %q", quoted, got, err, s)
		}
	})
}

func seedExpressions() []string {
	return []string{
		"=a = 1", "=x.y.z", "={a: 1, b: a + 1}", `=if a > 0 then "pos" else "neg"`, "=count(panel) >= 3",
		`=date and time("2026-12-24T09:00:00@Europe/Tallinn") + duration("P1D")`, `=string length(s) > 2`,
		"=[1, 2, 3].a", `=decision in ["approve", "reject"]`, "=not(approved) or amount <= 1000",
		`=@"2026-12-24" + @"P1M"`, "=sum(bids.price) / count(bids)", "=min(1, 2) ** -0.5", `="a\u00e9\"b"`,
		"=for x in y return x", "=a[1]", "=(((a)))", "PT5M", "", "=", "= /* c */ a // d", "=`a b`.c",
		`=upper case(lower case("X")) + string([1, {a: null}])`, `=number("1.5") * abs(-2)`,
	}
}
