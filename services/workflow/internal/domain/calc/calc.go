// Package calc connects the engine to the expression and timer libraries: FEEL-like `=` expressions
// (package expr) and Camunda 8 timer definitions with working days (package timer), each parsed once and
// cached, since a process's expressions and timers are evaluated again for every instance.
package calc

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/expr"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/timer"
)

// Expressions compiles expressions with package expr.
type Expressions struct{}

// Compile implements engine.Expressions (the engine caches what it compiles).
func (Expressions) Compile(src string) (engine.Expression, error) {
	x, err := expr.Compile(src)
	if err != nil {
		return nil, err
	}
	return x, nil
}

// Check reports whether src compiles: bpmn.Options.CheckExpression.
func (Expressions) Check(src string) error {
	_, err := expr.Compile(src)
	return err
}

// Timers computes due times with package timer on a calendar of working days.
type Timers struct {
	cal    *timer.Calendar
	defs   sync.Map // kind + text -> timer.Definition
	cached atomic.Int64
}

// maxCached bounds the cache: timer values computed by expressions (dates) differ per instance.
const maxCached = 10000

// NewTimers returns timers on the shipped calendar of public holidays, counting working days (PnWD) in
// country (an ISO 3166 code the calendar has, e.g. EE or GB; "" for Monday to Friday in UTC).
func NewTimers(country string) (*Timers, error) {
	cal, err := timer.ShippedCalendar()
	if err != nil {
		return nil, err
	}
	if country != "" {
		if cal.Zone(strings.ToUpper(country)) == time.UTC {
			return nil, fmt.Errorf("the calendar does not know country %q (it has EE and GB)", country)
		}
		cal.SetDefaultCountry(country)
	}
	return &Timers{cal: cal}, nil
}

// Next implements engine.Timers.
func (t *Timers) Next(typ bpmn.TimerType, value string, from time.Time, fired int) (time.Time, bool, error) {
	d, err := t.definition(typ, value)
	if err != nil {
		return time.Time{}, false, err
	}
	at, ok := d.Next(from, fired, t.cal)
	return at.UTC(), ok, nil
}

// Check reports whether a literal timer value parses: bpmn.Options.CheckTimer.
func (t *Timers) Check(typ bpmn.TimerType, value string) error {
	_, err := t.definition(typ, value)
	return err
}

func (t *Timers) definition(typ bpmn.TimerType, value string) (timer.Definition, error) {
	key := string(typ) + "\x00" + value
	if d, ok := t.defs.Load(key); ok {
		return d.(timer.Definition), nil
	}
	kind, ok := map[bpmn.TimerType]timer.Kind{bpmn.TimerDate: timer.Date, bpmn.TimerDuration: timer.Duration, bpmn.TimerCycle: timer.Cycle}[typ]
	if !ok {
		return timer.Definition{}, fmt.Errorf("unknown timer type %q", typ)
	}
	d, err := timer.Parse(kind, value)
	if err != nil {
		return d, err
	}
	if t.cached.Add(1) <= maxCached {
		t.defs.Store(key, d)
	}
	return d, nil
}
