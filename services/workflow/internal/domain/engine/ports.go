// Package engine runs BPMN process instances: pure Go, no I/O. An instance's whole state is a State value;
// Step applies one trigger (a start, a job completed, a timer fired, a message correlated, …) to it and
// returns the effects the outside world must carry out (jobs, timers, subscriptions, user tasks and child
// instances to create or cancel, history, incidents, the instance's end). The app runs each Step in one
// database transaction, so a step happens completely or not at all.
package engine

import (
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// Expression is a compiled expression or literal of a process model. now is the step's time, what now()
// and today() read, so a step evaluates the same way every time it is run.
type Expression interface {
	EvalAt(vars map[string]any, now time.Time) (any, error)
}

// Expressions compiles a model's expression strings: those starting with `=` are expressions, others are
// literal values (a job type "mail", a mapping source "Tender evaluated").
type Expressions interface {
	Compile(src string) (Expression, error)
}

// Timers says when timers fire.
type Timers interface {
	// Next is when a timer of type t with value (a literal, or an expression's result) fires after having
	// fired `fired` times, counting from `from`: the time the timer started for its first firing, the time
	// it last fired for the next ones. ok is false when a cycle has no more repetitions (and for a date or
	// a duration that has fired once).
	Next(t bpmn.TimerType, value string, from time.Time, fired int) (at time.Time, ok bool, err error)
}
