// Package expr evaluates the expressions of BPMN definitions as Camunda Modeler writes them for Camunda 8:
// sequence-flow conditions, input and output mappings, script tasks, correlation keys and timer values.
//
// A text that starts with "=" (after leading white space) is an expression in a subset of FEEL; any other
// text is a literal string (a timer's "PT5M" is the ISO 8601 text itself). Expressions are translated into
// github.com/expr-lang/expr programs at Compile — once, when a definition is deployed, so an expression
// outside the subset fails the deploy with a *CompileError that names the line, the column and the
// construct — and evaluated with Eval, EvalBool or EvalString for every instance.
//
// # The subset
//
//   - literals: numbers (1, 1.5, .5), strings in double quotes with \" \\ \n \r \t \uXXXX escapes, true,
//     false, null, temporal literals @"2026-12-24", @"2026-12-24T09:00:00@Europe/Tallinn", @"P1D";
//   - names: variables (a missing variable is null, not an error), `names in backticks` for keywords or
//     spaces; paths x.y.z (a path on a list projects it: bids.price is the list of prices); comments;
//   - lists [1, 2], contexts {a: 1, "b c": a + 1} (an entry sees the entries before it);
//   - comparison = != < <= > >=, membership x in [..] (against a non-list value, in is =), and, or, not(x),
//     if c then a else b, arithmetic + - * / ** and unary minus;
//   - functions: not, count, sum, min, max, contains, starts with, ends with, string length, upper case,
//     lower case, list contains, now, today, date and time, date, duration, string, number, abs, floor,
//     ceiling; properties of temporal values (d.year, d.month, d.day, d.weekday, t.hour, t.minute,
//     t.second, dur.days, dur.hours, dur.minutes, dur.seconds, dur.years, dur.months).
//
// Everything else — for, some/every, filters and indexes (l[1], l[x > 2]), ranges, unary tests, between,
// instance of, function definitions, named arguments, other functions — is a CompileError naming it.
//
// # Semantics
//
// As in FEEL: null = null is true and x = null is false for any other x; every ordering comparison with
// null, or between values of different types, is false (FEEL's null, read as "not satisfied"); and/or are
// three-valued (false and null is false, true and null is null); arithmetic on null or on mismatched types
// is null, as is division by zero. All numbers are float64: integers of any Go type and json.Number read as
// numbers, 1 = 1.0, and arithmetic results are rounded to 15 significant digits (whole numbers are exact up
// to 2^53) so that 0.1 + 0.2 = 0.3 as with FEEL's decimals. Durations are either years-and-months (P1Y2M;
// added to a date they keep the day within the month, so Jan 31 + P1M is Feb 28) or days-and-time (P1DT2H;
// an exact length, a day being 24 hours). A date and time without an offset or zone is read as UTC.
// Exponentiation and all binary operators are left-associative; unary minus binds tighter than **
// (-2 ** 2 is 4). now() and today() read the instant passed to EvalAt (Eval passes time.Now()).
//
// Results come in canonical types (nil, bool, float64, string, []any, map[string]any, time.Time, Date,
// Duration), copied from the variables they came from; Date and Duration marshal to their ISO 8601 text.
// Evaluation is deterministic: nothing depends on Go's map order (contexts are compared, printed and
// measured in key order).
//
// # Limits
//
// An expression has no loops, but a short one can still build a huge value ({a: "xx", b: a + a, c: b + b,
// ...}). So the source is at most 16 KiB, nesting at most 64 levels, a built string at most 1 MiB, a
// projection at most 100,000 items, a result at most about 4 MiB written as JSON (Zeebe's default message
// size), and each evaluation has a work budget (ErrBudget) covering calls, items compared and bytes copied.
// FuzzCompileEval checks that no input panics or runs longer than a few seconds.
package expr
