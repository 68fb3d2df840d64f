package expr

import (
	"testing"
	"time"
)

// The cases follow the sections of the Camunda 8 FEEL documentation (data types, boolean, numeric,
// string, list, context, conditional and temporal expressions) as far as the subset goes.

func TestEvalLiteralsAndVariables(t *testing.T) {
	runTable(t, []evalCase{
		{`=1`, 1}, {`=1.5`, 1.5}, {`=.5`, 0.5}, {`=0`, 0}, {`=007`, 7}, {`=123456789012`, 123456789012},
		{`="text"`, "text"}, {`=""`, ""}, {`="a \"quoted\" word"`, `a "quoted" word`},
		{`="line\nbreak\ttab\\"`, "line\nbreak\ttab\\"}, {`="\u00e9t\u00E9"`, "été"}, {`="it\'s"`, "it's"},
		{`="ümlaut ✓"`, "ümlaut ✓"}, {`=true`, true}, {`=false`, false}, {`=null`, nil},
		{`=a`, 1}, {`=s`, "hello"}, {`=t`, true}, {`=nothing`, nil}, {`=missing`, nil},
		{`=n`, 5}, {`=i64`, 7}, {`=u8`, 3}, {`=f32`, 0.5}, {`=num`, 3.5}, {`=st`, "open"},
		{"=`weird key`", 42}, {"=`if`", nil}, {`= a`, 1}, {"  =a", 1}, {"=\na\n", 1},
		{`=a // a comment`, 1}, {`=/* first */ a /* then */ + 1`, 2},
		{`=ints`, []any{1, 2, 3}}, {`=strs`, []any{"x", "y"}},
		{`=labels`, map[string]any{"en": "Tender", "et": "Hange"}},
		{`=(a)`, 1}, {`=((((a))))`, 1}, {`=$x`, nil}, {`=_under_score9`, nil}, {`=größe`, nil},
	})
}

func TestEvalComparisons(t *testing.T) {
	runTable(t, []evalCase{
		{`=a = 1`, true}, {`=a = 2`, false}, {`=a != 2`, true}, {`=a != 1`, false},
		{`=n = 5`, true}, {`=n = 5.0`, true}, {`=i64 = 7`, true}, {`=u8 = 3`, true}, {`=num = 3.5`, true},
		{`=1 = 1.0`, true}, {`=0.1 + 0.2 = 0.3`, true}, {`=a < b`, true}, {`=a <= 1`, true}, {`=a > b`, false},
		{`=b >= 2`, true}, {`=n > 4.5`, true}, {`=-1 < 0`, true}, {`=amount > 1000`, true},
		{`=s = "hello"`, true}, {`=s != "Hello"`, true}, {`="a" < "b"`, true}, {`="B" < "a"`, true},
		{`="abc" <= "abd"`, true}, {`="10" < "9"`, true}, {`=st = "open"`, true}, {`=decision = "approve"`, true},
		{`=t = true`, true}, {`=f = false`, true}, {`=t != f`, true}, {`=approved`, true},
		{`=nothing = null`, true}, {`=missing = null`, true}, {`=null = null`, true}, {`=a = null`, false},
		{`=null = a`, false}, {`=a != null`, true}, {`=missing != null`, false}, {`=s != null`, true},
		{`=missing > 1`, false}, {`=missing < 1`, false}, {`=missing <= 1`, false}, {`=missing >= 1`, false},
		{`=null < null`, false}, {`=missing = 1`, false}, {`=missing != 1`, true},
		{`=1 = "1"`, false}, {`=1 < "2"`, false}, {`="2" > 1`, false}, {`=true = 1`, false}, {`=true < false`, false},
		{`=[1, 2] = [1, 2]`, true}, {`=[1, 2] = [2, 1]`, false}, {`=[1, 2] = [1, 2, 3]`, false},
		{`=ints = [1, 2, 3]`, true}, {`=[1, [2, 3]] = [1, [2, 3]]`, true}, {`=[] = []`, true}, {`=[] = null`, false},
		{`={a: 1} = {a: 1}`, true}, {`={a: 1, b: 2} = {b: 2, a: 1}`, true}, {`={a: 1} = {a: 2}`, false},
		{`={a: 1} = {b: 1}`, false}, {`={a: 1} = {a: 1, b: 2}`, false}, {`={a: null} = {}`, false},
		{`=labels = {en: "Tender", et: "Hange"}`, true}, {`=[1] = {a: 1}`, false}, {`=[1] < [2]`, false},
		{`=order.customer = {name: "Anna", country: "EE", vip: true}`, true},
	})
}

func TestEvalBooleanLogic(t *testing.T) {
	runTable(t, []evalCase{
		{`=true and true`, true}, {`=true and false`, false}, {`=false and true`, false},
		{`=true or false`, true}, {`=false or false`, false}, {`=false or true`, true},
		{`=true and null`, nil}, {`=null and true`, nil}, {`=false and null`, false}, {`=null and false`, false},
		{`=true or null`, true}, {`=null or true`, true}, {`=false or null`, nil}, {`=null or null`, nil},
		{`=true and "yes"`, nil}, {`=false and 1`, false}, {`=1 or true`, true}, {`=1 or false`, nil},
		{`=not(true)`, false}, {`=not(false)`, true}, {`=not(null)`, nil}, {`=not(1)`, nil}, {`=not(t)`, false},
		{`=not(a = 1)`, false}, {`=not(not(t))`, true}, {`=a = 1 and b = 2`, true}, {`=a = 1 and b = 3`, false},
		{`=a = 2 or b = 2`, true}, {`=a = 1 or b = 2 and false`, true}, {`=(a = 1 or b = 2) and false`, false},
		{`=false and true or true`, true}, {`=amount > 1000 and decision = "approve"`, true},
		{`=approved and amount <= 1000`, false}, {`=order.customer.vip and order.amount > 1000`, true},
		{`=missing and true`, nil}, {`=missing or true`, true}, {`=missing = null or a = 2`, true},
		{`=a = 1 and b = 2 and s = "hello" and t`, true}, {`=f or f or f or t`, true},
	})
}

func TestEvalArithmetic(t *testing.T) {
	runTable(t, []evalCase{
		{`=1 + 1`, 2}, {`=a + b`, 3}, {`=5 - 3`, 2}, {`=3 - 5`, -2}, {`=2 * 3`, 6}, {`=7 / 2`, 3.5},
		{`=1 / 0`, nil}, {`=0 / 0`, nil}, {`=2 ** 3`, 8}, {`=2 ** -1`, 0.5}, {`=2 ** 0.5 > 1.41`, true},
		{`=(-8) ** (1/3)`, nil}, {`=10 ** 400`, nil}, {`=-a`, -1}, {`=- -a`, 1}, {`=-(a + b)`, -3}, {`=-0`, 0},
		{`=1 + 2 * 3`, 7}, {`=(1 + 2) * 3`, 9}, {`=2 * 3 ** 2`, 18}, {`=2 ** 3 ** 2`, 64}, {`=10 - 2 - 3`, 5},
		{`=24 / 4 / 2`, 3}, {`=-2 ** 2`, 4}, {`=1 - -1`, 2}, {`=n * 2`, 10}, {`=i64 + u8`, 10}, {`=num * 2`, 7},
		{`=a + missing`, nil}, {`=null + 1`, nil}, {`=1 - null`, nil}, {`=null * 2`, nil}, {`=-null`, nil},
		{`=1 + "1"`, nil}, {`="1" + 1`, nil}, {`=true + 1`, nil}, {`=-"a"`, nil}, {`=[1] + [2]`, nil},
		{`="abc" + "def"`, "abcdef"}, {`=s + " " + "world"`, "hello world"}, {`="" + ""`, ""},
		{`=st + "!"`, "open!"}, {`="a" - "b"`, nil}, {`="a" * 2`, nil},
		{`=order.amount * 1.2`, 1800},
		{`=sum(scores) / count(scores)`, 80}, {`=1.1 * 3`, 3.3}, {`=0.1 + 0.2`, 0.3}, {`=0.7 + 0.3`, 1},
		{`=1234567890123456 + 1`, 1234567890123457}, {`=10 / 3`, 3.33333333333333},
	})
}

func TestEvalPathsListsContexts(t *testing.T) {
	runTable(t, []evalCase{
		{`=order.amount`, 1500}, {`=order.customer.name`, "Anna"}, {`=order.customer.country = "EE"`, true},
		{`=order.missing`, nil}, {`=order.missing.deeper`, nil}, {`=missing.x`, nil}, {`=s.length`, nil},
		{`=a.b`, nil}, {`=labels.et`, "Hange"}, {`=order.items.sku`, []any{"A1", "B2"}},
		{`=bids.price`, []any{100, 80}}, {`=bids.supplier`, []any{"Alpha", "Beta"}}, {`=panel.x`, []any{nil, nil, nil}},
		{`=[1, 2, 3]`, []any{1, 2, 3}}, {`=[]`, []any{}}, {`=[a, s, null]`, []any{1, "hello", nil}},
		{`=[[1], [2, 3]]`, []any{[]any{1}, []any{2, 3}}}, {`=[{a: 1}, {a: 2}].a`, []any{1, 2}},
		{`={a: 1}`, map[string]any{"a": 1}}, {`={}`, map[string]any{}}, {`={"b c": 2}`, map[string]any{"b c": 2}},
		{`={a: 1, b: a + 1}`, map[string]any{"a": 1, "b": 2}}, {`={a: 1}.a`, 1}, {`={a: {b: "x"}}.a.b`, "x"},
		{`={x: a, y: b}`, map[string]any{"x": 1, "y": 2}}, {`={a: 5, b: {c: a * 2}}`, map[string]any{"a": 5, "b": map[string]any{"c": 10}}},
		{`={s: "local", t: s}`, map[string]any{"s": "local", "t": "local"}}, {`={t: s, s: "local"}`, map[string]any{"t": "hello", "s": "local"}},
		{`={inner: {a: 1}, after: a}`, map[string]any{"inner": map[string]any{"a": 1}, "after": 1}},
		{`={id: tender.id, lots: tender.lots, panel: panel}`, map[string]any{"id": "T-1", "lots": 3, "panel": []any{"alice", "bob", "carol"}}},
		{`={approved: decision = "approve", reviewer: "legal"}`, map[string]any{"approved": true, "reviewer": "legal"}},
		{`={if: 1}.if`, 1}, {`=mixed`, []any{1, "a", nil, true}},
		{`=a in [1, 2, 3]`, true}, {`=a in [2, 3]`, false}, {`=s in ["hello", "world"]`, true}, {`=5 in []`, false},
		{`=null in [1, null]`, true}, {`=missing in [1]`, false}, {`=a in 1`, true}, {`=a in 2`, false},
		{`="bob" in panel`, true}, {`="dave" in panel`, false}, {`=2 in ints`, true}, {`=[1] in [[1], [2]]`, true},
		{`=decision in ["approve", "approve with conditions"]`, true}, {`=a + 1 in [2]`, true},
		{`=(a in [1]) = true`, true},
	})
}

func TestEvalIf(t *testing.T) {
	runTable(t, []evalCase{
		{`=if true then 1 else 2`, 1}, {`=if false then 1 else 2`, 2}, {`=if null then 1 else 2`, 2},
		{`=if 1 then "x" else "y"`, "y"}, {`=if missing then 1 else 2`, 2},
		{`=if amount > 1000 then "committee" else "manager"`, "committee"},
		{`=if a = 1 then if b = 2 then "both" else "a" else "none"`, "both"},
		{`=if a > 5 then "big" else if a > 0 then "small" else "none"`, "small"},
		{`=(if t then 1 else 2) + 10`, 11}, {`=if t then null else 1`, nil}, {`=if f then 1/0 else [a]`, []any{1}},
		{`=if approved then {next: "legal"} else {next: "reject"}`, map[string]any{"next": "legal"}},
		{`=if count(panel) >= 3 then "quorum" else "no quorum"`, "quorum"},
	})
}

func TestEvalFunctions(t *testing.T) {
	runTable(t, []evalCase{
		{`=count([1, 2, 3])`, 3}, {`=count([])`, 0}, {`=count(panel)`, 3}, {`=count(ints)`, 3}, {`=count(null)`, nil},
		{`=count("abc")`, nil}, {`=count(bids.price)`, 2},
		{`=sum([1, 2, 3])`, 6}, {`=sum(1, 2, 3)`, 6}, {`=sum(scores)`, 240}, {`=sum(ints)`, 6}, {`=sum([])`, nil},
		{`=sum([1, "a"])`, nil}, {`=sum(bids.price)`, 180}, {`=sum(5)`, 5}, {`=sum(null)`, nil},
		{`=min([3, 1, 2])`, 1}, {`=max([3, 1, 2])`, 3}, {`=min(3, 1, 2)`, 1}, {`=max(1)`, 1}, {`=min([])`, nil},
		{`=max(["b", "a", "c"])`, "c"}, {`=min([1, "a"])`, nil}, {`=max(scores)`, 90}, {`=min(bids.price)`, 80},
		{`=max(ints)`, 3}, {`=min([n, 2])`, 2}, {`=max([null])`, nil}, {`=max([duration("P1D"), duration("PT1H")])`, Duration{Time: 24 * time.Hour}},
		{`=contains("foobar", "of")`, false}, {`=contains("foobar", "ob")`, true}, {`=contains(s, "")`, true},
		{`=contains(null, "a")`, nil}, {`=contains(1, "1")`, nil}, {`=contains(st, "pe")`, true},
		{`=starts with("foobar", "foo")`, true}, {`=ends with("foobar", "r")`, true}, {`=starts with(s, "x")`, false},
		{`=string length("foo")`, 3}, {`=string length("")`, 0}, {`=string length("été")`, 3}, {`=string length(1)`, nil},
		{`=string length(s) > 3`, true}, {`=upper case("aBc4")`, "ABC4"}, {`=lower case("aBc4")`, "abc4"},
		{`=upper case(null)`, nil}, {`=lower case(order.customer.name)`, "anna"}, {`=upper case("été")`, "ÉTÉ"},
		{`=list contains([1, 2, 3], 2)`, true}, {`=list contains([1, 2, 3], 5)`, false}, {`=list contains(panel, "alice")`, true},
		{`=list contains(null, 1)`, nil}, {`=list contains([null], null)`, true},
		{`=string(1.1)`, "1.1"}, {`=string(1)`, "1"}, {`=string(100000000)`, "100000000"}, {`=string(-0.5)`, "-0.5"},
		{`=string(true)`, "true"}, {`=string(null)`, nil}, {`=string("x")`, "x"}, {`=string([1, "a", null])`, `[1, "a", null]`},
		{`=string({b: 2, a: [true]})`, `{a:[true], b:2}`}, {`=string(order.customer)`, `{country:"EE", name:"Anna", vip:true}`},
		{`=string(date("2026-01-02"))`, "2026-01-02"}, {`=string(duration("P1DT2H"))`, "P1DT2H"},
		{`=string(@"2026-12-24T09:00:00@Europe/Tallinn")`, "2026-12-24T09:00:00@Europe/Tallinn"},
		{`=string(date and time("2026-12-24T09:00:00+02:00"))`, "2026-12-24T09:00:00+02:00"},
		{`=string(date and time("2026-12-24T09:00:00.5Z"))`, "2026-12-24T09:00:00.5Z"}, {`="n=" + string(n)`, "n=5"},
		{`=number("1500.5")`, 1500.5}, {`=number("-3")`, -3}, {`=number("1e3")`, nil}, {`=number("abc")`, nil},
		{`=number("")`, nil}, {`=number(null)`, nil}, {`=number(5)`, 5}, {`=number("NaN")`, nil}, {`=number("Inf")`, nil},
		{`=abs(-3)`, 3}, {`=abs(3)`, 3}, {`=floor(1.5)`, 1}, {`=floor(-1.5)`, -2}, {`=ceiling(1.2)`, 2}, {`=ceiling(-1.2)`, -1},
		{`=abs("x")`, nil}, {`=floor(null)`, nil},
	})
}

func TestEvalTemporal(t *testing.T) {
	tallinn, err := time.LoadLocation("Europe/Tallinn")
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	runTable(t, []evalCase{
		{`=now()`, testNow}, {`=today()`, Date{2026, 3, 15}}, {`=now() = now()`, true},
		{`=date and time("2026-12-24T09:00:00+02:00")`, time.Date(2026, 12, 24, 7, 0, 0, 0, time.UTC)},
		{`=date and time("2026-12-24T09:00:00Z")`, time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2026-12-24T09:00:00")`, time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2026-12-24T09:00")`, time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2026-12-24T09:00:00@Europe/Tallinn")`, time.Date(2026, 12, 24, 9, 0, 0, 0, tallinn)},
		{`=date and time("2026-12-24T09:00:00[Europe/Tallinn]")`, time.Date(2026, 12, 24, 7, 0, 0, 0, time.UTC)},
		{`=date and time("2026-07-01T09:00:00+03:00[Europe/Tallinn]")`, time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)},
		{`=date and time("2026-12-24T09:00:00.123-05:30")`, time.Date(2026, 12, 24, 14, 30, 0, 123e6, time.UTC)},
		{`=date and time("2026-10-25T03:30:00+03:00[Europe/Tallinn]")`, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{`=date and time("2026-10-25T03:30:00+02:00[Europe/Tallinn]")`, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)},
		{`=date and time("2026-03-29T03:30:00@Europe/Tallinn")`, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{`=date and time(due)`, time.Date(2026, 12, 24, 7, 0, 0, 0, time.UTC)},
		{`=date and time(deadline)`, time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)}, {`=date and time(null)`, nil},
		{`=date and time(date("2026-01-02"))`, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{`=@"2026-12-24T09:00:00Z" = date and time("2026-12-24T11:00:00+02:00")`, true},
		{`=date("2026-01-31")`, Date{2026, 1, 31}}, {`=date(deadline)`, Date{2026, 12, 24}}, {`=date(day)`, Date{2026, 2, 28}},
		{`=date(tender.closes)`, nil}, {`=@"2028-02-29"`, Date{2028, 2, 29}},
		{`=duration("P1D")`, Duration{Time: day}}, {`=duration("PT5M")`, Duration{Time: 5 * time.Minute}},
		{`=duration("P1Y2M")`, Duration{YearMonth: true, Months: 14}}, {`=duration("-PT1.5S")`, Duration{Time: -1500 * time.Millisecond}},
		{`=duration("P2W")`, Duration{Time: 14 * day}}, {`=duration("P1DT2H3M4S")`, Duration{Time: day + 2*time.Hour + 3*time.Minute + 4*time.Second}},
		{`=duration(s)`, nil},
		{`=date and time("2026-12-24T09:00:00Z") + duration("P1D")`, time.Date(2026, 12, 25, 9, 0, 0, 0, time.UTC)},
		{`=duration("P1D") + date and time("2026-12-24T09:00:00Z")`, time.Date(2026, 12, 25, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2026-12-24T09:00:00Z") - duration("PT1H")`, time.Date(2026, 12, 24, 8, 0, 0, 0, time.UTC)},
		{`=date and time("2026-01-31T09:00:00Z") + duration("P1M")`, time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2028-01-31T09:00:00Z") + duration("P1M")`, time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2028-02-29T09:00:00Z") + duration("P1Y")`, time.Date(2029, 2, 28, 9, 0, 0, 0, time.UTC)},
		{`=date and time("2026-03-31T09:00:00Z") - duration("P1M")`, time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC)},
		{`=date("2026-01-31") + duration("P1M")`, Date{2026, 2, 28}}, {`=date("2026-12-31") + duration("P1D")`, Date{2027, 1, 1}},
		{`=date("2028-02-28") + duration("P1D")`, Date{2028, 2, 29}}, {`=date("2026-03-01") - duration("P1D")`, Date{2026, 2, 28}},
		{`=date("2026-03-01") - date("2026-02-01")`, Duration{Time: 28 * day}},
		{`=date and time("2026-12-24T10:00:00Z") - date and time("2026-12-24T09:00:00Z")`, Duration{Time: time.Hour}},
		{`=date and time("2026-03-29T12:00:00@Europe/Tallinn") - date and time("2026-03-28T12:00:00@Europe/Tallinn")`, Duration{Time: 23 * time.Hour}},
		{`=date and time("2026-03-28T12:00:00@Europe/Tallinn") + duration("P1D")`, time.Date(2026, 3, 29, 13, 0, 0, 0, tallinn)},
		{`=date and time("2026-03-28T12:00:00@Europe/Tallinn") + duration("P1M")`, time.Date(2026, 4, 28, 12, 0, 0, 0, tallinn)},
		{`=duration("P1D") + duration("PT12H")`, Duration{Time: 36 * time.Hour}}, {`=duration("P1Y") - duration("P1M")`, Duration{YearMonth: true, Months: 11}},
		{`=duration("P1Y") + duration("P1D")`, nil}, {`=duration("PT1H") * 3`, Duration{Time: 3 * time.Hour}},
		{`=2 * duration("P1M")`, Duration{YearMonth: true, Months: 2}}, {`=duration("P1D") / 2`, Duration{Time: 12 * time.Hour}},
		{`=duration("P1D") / duration("PT1H")`, 24}, {`=-duration("P1D")`, Duration{Time: -day}}, {`=duration("P1D") / 0`, nil},
		{`=duration("P1D") > duration("PT23H")`, true}, {`=duration("P1Y") > duration("P11M")`, true}, {`=duration("P1Y") > duration("P1D")`, false},
		{`=duration("P1D") = duration("PT24H")`, true}, {`=date("2026-01-01") < date("2026-01-02")`, true},
		{`=now() < date and time("2027-01-01T00:00:00Z")`, true}, {`=now() > date and time(tender.closes)`, false},
		{`=date and time(tender.closes) - now() > duration("P10D")`, true}, {`=deadline > now()`, true},
		{`=today() + duration("P10D")`, Date{2026, 3, 25}}, {`=today() = date("2026-03-15")`, true},
		{`=date and time("2026-12-24T09:00:00Z") = date("2026-12-24")`, false}, {`=date("2026-12-24") < now()`, false},
		{`=now() + 1`, nil}, {`=date("2026-01-01") + 1`, nil}, {`="P1D" + duration("P1D")`, nil},
		{`=date("2026-12-24").year`, 2026}, {`=date("2026-12-24").month`, 12}, {`=date("2026-12-24").day`, 24},
		{`=date("2026-12-24").weekday`, 4}, {`=date("2026-12-27").weekday`, 7}, {`=now().hour`, 10}, {`=now().minute`, 30},
		{`=now().second`, 0}, {`=now().year`, 2026}, {`=duration("P1DT2H3M4.5S").days`, 1}, {`=duration("P1DT2H3M4.5S").hours`, 2},
		{`=duration("P1DT2H3M4.5S").minutes`, 3}, {`=duration("P1DT2H3M4.5S").seconds`, 4.5}, {`=duration("P14M").years`, 1},
		{`=duration("P14M").months`, 2}, {`=duration("P14M").days`, nil}, {`=date("2026-12-24").hour`, nil},
	})
}
