// Package standin holds the engine's unit tests' stand-ins for the expression and timer libraries: `=`
// expressions evaluated by expr-lang/expr as they are written (no FEEL: an undefined variable in arithmetic
// is an error, which the incident tests use), ISO 8601 dates, durations (PnDTnHnMnS) and cycles
// (R[n]/duration). The service runs on the real libraries (internal/domain/calc); the engine cannot tell.
package standin

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// Expressions compiles `=` expressions with expr-lang/expr; other strings are literals.
type Expressions struct{}

// Compile compiles src.
func (Expressions) Compile(src string) (engine.Expression, error) {
	if !strings.HasPrefix(src, "=") {
		return literal{src}, nil
	}
	p, err := expr.Compile(strings.TrimPrefix(src, "="), expr.AllowUndefinedVariables())
	if err != nil {
		return nil, err
	}
	return program{p}, nil
}

// Check reports whether src compiles (for bpmn.Options.CheckExpression).
func (e Expressions) Check(src string) error {
	_, err := e.Compile(src)
	return err
}

type literal struct{ v string }

func (l literal) EvalAt(map[string]any, time.Time) (any, error) { return l.v, nil }

type program struct{ p *vm.Program }

func (p program) EvalAt(vars map[string]any, _ time.Time) (any, error) { return expr.Run(p.p, vars) }

// Timers computes ISO 8601 timers.
type Timers struct{}

// Check reports whether a literal timer value parses (for bpmn.Options.CheckTimer).
func (t Timers) Check(typ bpmn.TimerType, value string) error {
	_, _, err := t.Next(typ, value, time.Unix(0, 0), 0)
	return err
}

// Next implements engine.Timers.
func (Timers) Next(typ bpmn.TimerType, value string, from time.Time, fired int) (time.Time, bool, error) {
	switch typ {
	case bpmn.TimerDate:
		at, err := time.Parse(time.RFC3339Nano, value)
		return at, fired == 0, err
	case bpmn.TimerDuration:
		d, err := Duration(value)
		return from.Add(d), fired == 0, err
	case bpmn.TimerCycle:
		return cycle(value, from, fired)
	}
	return time.Time{}, false, fmt.Errorf("unknown timer type %q", typ)
}

// cycle reads R[n]/<duration>: n repetitions (unbounded without n), each a duration after the last.
func cycle(value string, from time.Time, fired int) (time.Time, bool, error) {
	rep, dur, ok := strings.Cut(value, "/")
	if !ok || !strings.HasPrefix(rep, "R") {
		return time.Time{}, false, errors.New("a cycle is R[n]/<duration>, e.g. R3/PT1H")
	}
	d, err := Duration(dur)
	if err != nil {
		return time.Time{}, false, err
	}
	if n := strings.TrimPrefix(rep, "R"); n != "" {
		count, err := strconv.Atoi(n)
		if err != nil || count < 0 {
			return time.Time{}, false, fmt.Errorf("the repetitions %q are not a number", n)
		}
		if fired >= count {
			return time.Time{}, false, nil
		}
	}
	return from.Add(d), true, nil
}

var durationRE = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// Duration reads an ISO 8601 duration of days, hours, minutes and seconds.
func Duration(s string) (time.Duration, error) {
	m := durationRE.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, fmt.Errorf("%q is not an ISO 8601 duration such as PT15M or P2D", s)
	}
	var d time.Duration
	units := []time.Duration{24 * time.Hour, time.Hour, time.Minute}
	for i, u := range units {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			d += time.Duration(n) * u
		}
	}
	if m[4] != "" {
		f, _ := strconv.ParseFloat(m[4], 64)
		d += time.Duration(f * float64(time.Second))
	}
	return d, nil
}
