package expr

import (
	"errors"
	"fmt"
	"time"

	"github.com/expr-lang/expr"
)

// Bounds on what one expression may cost. An expression has no loops, so its work is the sum of its
// operations; the operations that scale with their values (deep equality, concatenation, string(),
// projections) pay from a budget per evaluation, and the result's size is checked before it is returned.
const (
	maxSource      = 16 << 10  // bytes of expression text
	maxExprNodes   = 100_000   // nodes of the translated expr program
	evalBudget     = 1_000_000 // units of work per evaluation: a call, an item compared, 64 bytes copied
	maxString      = 1 << 20   // bytes in any string an expression builds
	maxList        = 100_000   // items in a list an expression builds (a projection)
	maxResultBytes = 4 << 20   // estimated JSON size of a result: Zeebe's default message size limit
)

// ErrBudget is the error of an evaluation that ran out of its budget.
var ErrBudget = errors.New("the expression needs more work than one evaluation may do")

// env is what the translated program reads: the evaluation's state and the compile-time constants.
type env struct {
	R *run
	C []any
}

// run is one evaluation's state: the variables, the instant now() returns, and the work still allowed.
type run struct {
	vars   map[string]any
	now    time.Time
	budget int
}

func (r *run) spend(units int) error {
	r.budget -= units
	if r.budget < 0 {
		return ErrBudget
	}
	return nil
}

// operators holds the functions the translation calls besides the built-ins: operators and access.
var operators = map[string]func(r *run, a []any) (any, error){
	"f_var": func(r *run, a []any) (any, error) { return r.vars[a[0].(string)], nil },
	"f_get": get,
	"f_ctx": buildContext,
	"f_true": func(r *run, a []any) (any, error) {
		b, _ := a[0].(bool)
		return b, nil
	},
	"f_and": func(r *run, a []any) (any, error) { return and(a[0], a[1]), nil },
	"f_or":  func(r *run, a []any) (any, error) { return or(a[0], a[1]), nil },
	"f_eq":  func(r *run, a []any) (any, error) { return equal(r, a[0], a[1]) },
	"f_ne": func(r *run, a []any) (any, error) {
		eq, err := equal(r, a[0], a[1])
		return !eq, err
	},
	"f_lt":  comparison(func(c int) bool { return c < 0 }),
	"f_le":  comparison(func(c int) bool { return c <= 0 }),
	"f_gt":  comparison(func(c int) bool { return c > 0 }),
	"f_ge":  comparison(func(c int) bool { return c >= 0 }),
	"f_in":  in,
	"f_add": func(r *run, a []any) (any, error) { return add(r, a[0], a[1]) },
	"f_sub": func(r *run, a []any) (any, error) { return sub(r, a[0], a[1]) },
	"f_mul": func(r *run, a []any) (any, error) { return mul(r, a[0], a[1]) },
	"f_div": func(r *run, a []any) (any, error) { return div(r, a[0], a[1]) },
	"f_pow": func(r *run, a []any) (any, error) { return pow(r, a[0], a[1]) },
	"f_neg": func(r *run, a []any) (any, error) { return neg(r, a[0]) },
}

// exprOptions register every runtime function with expr; each takes the *run first.
var exprOptions = func() []expr.Option {
	opts := []expr.Option{expr.Env(env{}), expr.MaxNodes(maxExprNodes)}
	register := func(name string, impl func(*run, []any) (any, error)) {
		opts = append(opts, expr.Function(name, func(params ...any) (any, error) {
			r, ok := params[0].(*run)
			if !ok {
				return nil, fmt.Errorf("%s: internal: no evaluation state", name)
			}
			if err := r.spend(1); err != nil {
				return nil, err
			}
			return impl(r, params[1:])
		}))
	}
	for name, impl := range operators {
		register(name, impl)
	}
	for _, b := range builtins {
		register(b.fn, b.impl)
	}
	return opts
}()

// and and or are FEEL's three-valued logic: false and anything is false, true or anything is true, and
// otherwise a null (or a non-boolean) makes the result null.
func and(a, b any) any {
	x, xok := a.(bool)
	y, yok := b.(bool)
	switch {
	case (xok && !x) || (yok && !y):
		return false
	case xok && yok:
		return true
	}
	return nil
}

func or(a, b any) any {
	x, xok := a.(bool)
	y, yok := b.(bool)
	switch {
	case (xok && x) || (yok && y):
		return true
	case xok && yok:
		return false
	}
	return nil
}

// comparison is < <= > >=: false whenever the values cannot be ordered (null, or different types).
func comparison(holds func(int) bool) func(*run, []any) (any, error) {
	return func(r *run, a []any) (any, error) {
		c, ok := order(a[0], a[1])
		return ok && holds(c), nil
	}
}

// in is list membership: x in [1, 2]; against a value that is not a list, in is equality.
func in(r *run, a []any) (any, error) {
	if l, ok := asList(a[1]); ok {
		return member(r, a[0], l)
	}
	return equal(r, a[0], a[1])
}

func buildContext(r *run, a []any) (any, error) {
	m := make(map[string]any, len(a)/2)
	for i := 0; i+1 < len(a); i += 2 {
		m[a[i].(string)] = a[i+1]
	}
	return m, nil
}

// get is the path x.name: an entry of a context, the same entry of every context in a list (a projection),
// or a property of a date, a date and time or a duration. Anything else is null.
func get(r *run, a []any) (any, error) {
	name := a[1].(string)
	if m, ok := asContext(a[0]); ok {
		return m[name], nil
	}
	if l, ok := asList(a[0]); ok {
		if len(l) > maxList {
			return nil, fmt.Errorf("a list would have more than %d items", maxList)
		}
		out := make([]any, len(l))
		for i, v := range l {
			if m, ok := asContext(v); ok {
				out[i] = m[name]
			}
		}
		return out, r.spend(len(l))
	}
	return property(a[0], name), nil
}
