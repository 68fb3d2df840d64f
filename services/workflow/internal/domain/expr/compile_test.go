package expr

import (
	"errors"
	"strings"
	"testing"
)

func TestCompileErrorsNamePositionAndConstruct(t *testing.T) {
	cases := []struct {
		src       string
		line, col int
		construct string
	}{
		{`=`, 1, 1, `"="`},
		{`=   `, 1, 1, `"="`},
		{`=for x in panel return x`, 1, 2, `"for" loop`},
		{`=some x in panel satisfies x = "a"`, 1, 2, `quantified expression ("some"`},
		{`=every x in [1] satisfies x > 0`, 1, 2, `quantified expression ("every"`},
		{`=function(x) x + 1`, 1, 2, "function definition"},
		{`=a between 1 and 5`, 1, 4, `"between"`},
		{`=a instance of number`, 1, 4, `"instance of"`},
		{`=a in < 5`, 1, 7, "unary test after in"},
		{`=a in [1..5]`, 1, 9, "range"},
		{`=a in (1..5)`, 1, 7, "range"},
		{`=a in ]1..5[`, 1, 7, "range"},
		{`=panel[1]`, 1, 7, "filter or index"},
		{`=bids[price > 90]`, 1, 6, "filter or index"},
		{`=order.items[0].sku`, 1, 13, "filter or index"},
		{`=(a)(1)`, 1, 5, "invocation of an expression"},
		{`=foo(1)`, 1, 2, `function "foo"`},
		{`=substring("abc", 1)`, 1, 2, `function "substring"`},
		{`=is defined(x)`, 1, 2, `function "is defined"`},
		{`=substring before("a-b", "-")`, 1, 2, `function "substring before"`},
		{`=count(1, 2)`, 1, 2, `function "count"`},
		{`=now(1)`, 1, 2, `function "now"`},
		{`=contains("a")`, 1, 2, `function "contains"`},
		{`=string length()`, 1, 2, `function "string length"`},
		{`=count(list: [1])`, 1, 8, "named parameter"},
		{`=a == 1`, 1, 4, `"=="`},
		{`=a && b`, 1, 4, `'&'`},
		{`=a || b`, 1, 4, `'|'`},
		{`=!a`, 1, 2, `"!"`},
		{`=a % 2`, 1, 4, `'%'`},
		{`='text'`, 1, 2, `'\''`},
		{`=a < b < c`, 1, 8, `chained comparison "<"`},
		{`=a = b = c`, 1, 8, `chained comparison "="`},
		{`=a +`, 1, 5, "end of expression"},
		{`=(a`, 1, 4, "end of expression"},
		{`=[1, 2`, 1, 7, "end of expression"},
		{`=[1 2]`, 1, 5, "number 2"},
		{`={a 1}`, 1, 5, "number 1"},
		{`={a: 1, a: 2}`, 1, 9, `context key "a"`},
		{`={1: 2}`, 1, 3, "number 1"},
		{`=if a then 1`, 1, 13, "end of expression"},
		{`=if a 1 else 2`, 1, 7, "number 1"},
		{`=a b`, 1, 4, `name "b"`},
		{`=then`, 1, 2, `name "then"`},
		{`=a.`, 1, 4, "end of expression"},
		{`=a.1`, 1, 3, "number .1"},
		{`="unclosed`, 1, 2, "string"},
		{`="bad \q escape"`, 1, 7, `escape \q`},
		{`="\u12"`, 1, 3, `escape \u`},
		{`=/* open`, 1, 2, "comment"},
		{"=`unclosed", 1, 2, "name in backticks"},
		{"=``", 1, 2, "name in backticks"},
		{`=@x`, 1, 3, `name "x"`},
		{`=@"10:00:00"`, 1, 2, "temporal literal"},
		{`=date("2026-02-30")`, 1, 2, `date("2026-02-30")`},
		{`=date and time("nope")`, 1, 2, `date and time("nope")`},
		{`=date and time("2026-12-24T09:00:00@Mars/Olympus")`, 1, 2, `date and time(`},
		{`=date and time("2026-07-01T09:00:00+02:00[Europe/Tallinn]")`, 1, 2, `date and time(`},
		{`=duration("P1Y2D")`, 1, 2, `duration("P1Y2D")`},
		{`=duration("1D")`, 1, 2, `duration("1D")`},
		{`=a ? b`, 1, 4, `"?"`},
		{"=a +\n  * b", 2, 3, `"*"`},
		{"  = for", 1, 5, `"for" loop`},
		{`=99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999`, 1, 2, "number"},
		{`=été + ✓`, 1, 8, `'✓'`},
	}
	for _, c := range cases {
		_, err := Compile(c.src)
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("Compile(%q) = %v, want a *CompileError", c.src, err)
			continue
		}
		if ce.Line != c.line || ce.Column != c.col || !strings.Contains(ce.Construct, c.construct) {
			t.Errorf("Compile(%q): line %d column %d construct %q, want line %d column %d construct containing %q (%v)",
				c.src, ce.Line, ce.Column, ce.Construct, c.line, c.col, c.construct, err)
		}
		if !strings.Contains(err.Error(), ce.Construct) {
			t.Errorf("Compile(%q): the message %q does not name the construct", c.src, err)
		}
	}
}

func TestCompileErrorMessage(t *testing.T) {
	_, err := Compile(`=for x in panel return x`)
	want := `expression "=for x in panel return x": column 2: "for" loop is not supported`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	_, err = Compile("=a +\n  * b")
	if err == nil || !strings.Contains(err.Error(), "line 2, column 3") {
		t.Fatalf("a multi-line expression's error %v does not name the line", err)
	}
	_, err = Compile("=" + strings.Repeat("a + ", 100) + "for")
	if err == nil || len(err.Error()) > 300 {
		t.Fatalf("a long expression's error is not cut short: %v", err)
	}
}

func TestLiteralsAreText(t *testing.T) {
	for _, src := range []string{"PT5M", "2026-12-24T09:00:00Z", "R/PT1H", "", "a = 1", "approve", " x=", "true"} {
		e := mustCompile(t, src)
		if !e.IsLiteral() {
			t.Errorf("Compile(%q).IsLiteral() = false", src)
		}
		got, err := e.Eval(map[string]any{"a": 1})
		if err != nil || got != src {
			t.Errorf("Compile(%q).Eval = %#v, %v; want the text itself", src, got, err)
		}
		if _, err := e.EvalBool(nil); err == nil || !strings.Contains(err.Error(), "literal") {
			t.Errorf("EvalBool of literal %q = %v, want an error saying it is a literal", src, err)
		}
	}
	if mustCompile(t, "=a").IsLiteral() || mustCompile(t, " \n=a").IsLiteral() {
		t.Error("an expression starting with = is taken as a literal")
	}
}

func TestEvalBool(t *testing.T) {
	vars := testVars()
	for _, c := range []struct {
		src  string
		want bool
		err  string
	}{
		{`=amount > 1000`, true, ""},
		{`=decision = "reject"`, false, ""},
		{`=missing > 3`, false, ""},
		{`=approved`, true, ""},
		{`=missing`, false, "evaluated to null, not a boolean"},
		{`=a`, false, "evaluated to a number (1), not a boolean"},
		{`=s`, false, `evaluated to a string ("hello"), not a boolean`},
		{`=panel`, false, `evaluated to a list (["alice", "bob", "carol"]), not a boolean`},
		{`=order`, false, "evaluated to a context, not a boolean"},
		{`=true and null`, false, "evaluated to null"},
		{`=now()`, false, "evaluated to a date and time"},
	} {
		got, err := mustCompile(t, c.src).EvalBool(vars)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("EvalBool(%q) = %v, %v; want %v", c.src, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("EvalBool(%q) error = %v, want one containing %q", c.src, err, c.err)
		}
	}
}

func TestEvalString(t *testing.T) {
	vars := map[string]any{"days": 3.0, "due": "2026-12-24T09:00:00+02:00", "n": 1.0}
	for _, c := range []struct{ src, want string }{
		{"PT5M", "PT5M"},
		{`="PT" + string(days) + "H"`, "PT3H"},
		{`=duration("P" + string(days) + "D")`, "P3D"},
		{`=date and time(due)`, "2026-12-24T09:00:00+02:00"},
		{`=date and time("2026-12-24T09:00:00Z") + duration("PT1H")`, "2026-12-24T10:00:00Z"},
		{`="R" + string(n) + "/PT1H"`, "R1/PT1H"},
	} {
		got, err := mustCompile(t, c.src).EvalString(vars, testNow)
		if err != nil || got != c.want {
			t.Errorf("EvalString(%q) = %q, %v; want %q", c.src, got, err, c.want)
		}
	}
	if _, err := mustCompile(t, "=days").EvalString(vars, testNow); err == nil || !strings.Contains(err.Error(), "a number (3)") {
		t.Errorf("a number as timer text: err = %v", err)
	}
}
