package expr

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// machines are expr VMs kept for reuse: a VM grows its stacks once and keeps them, a fresh one per
// evaluation allocated them every time. A VM is used by one evaluation at a time.
var machines = sync.Pool{New: func() any { return new(vm.VM) }}

// Expression is a compiled condition, mapping, script or timer expression. It is safe for concurrent use:
// compile it once when a definition is deployed and evaluate it for every instance.
type Expression struct {
	src     string
	literal bool
	program *vm.Program
	consts  []any
	code    string // the translated expr program, for messages and tests
}

// Compile reads src as Camunda Modeler writes it for Camunda 8: text that starts with "=" (after any
// leading white space) is a FEEL expression, any other text is a literal string. An expression outside the
// supported FEEL subset is a *CompileError naming the position and the construct.
func Compile(src string) (*Expression, error) {
	body := strings.TrimLeft(src, " \t\r\n")
	if !strings.HasPrefix(body, "=") {
		return &Expression{src: src, literal: true}, nil
	}
	if len(src) > maxSource {
		return nil, errorAt(src, maxSource, "expression", fmt.Sprintf("is longer than %d bytes", maxSource))
	}
	base := len(src) - len(body) + 1
	toks, err := lex(src, base)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tokEOF {
		return nil, errorAt(src, base-1, `"="`, "starts an expression but none follows")
	}
	p := &parser{src: src, toks: toks, strIdx: map[string]int{}}
	n, err := p.parseExpression()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tokEOF {
		return nil, p.unexpected("(after a complete expression)")
	}
	program, err := expr.Compile(n.code, exprOptions...)
	if err != nil {
		// The translation is ours: an expr compile error is a bug here or a size limit, not the designer's.
		return nil, errorAt(src, base, "expression", "cannot be compiled: "+err.Error())
	}
	return &Expression{src: src, program: program, consts: p.consts, code: n.code}, nil
}

// IsLiteral reports whether the text was a literal string rather than an "=" expression.
func (e *Expression) IsLiteral() bool { return e.literal }

// String returns the source text.
func (e *Expression) String() string { return e.src }

// Eval evaluates the expression with vars as its variables, now() being the current time. A literal
// evaluates to its text. A variable that is not in vars is null.
func (e *Expression) Eval(vars map[string]any) (any, error) { return e.EvalAt(vars, time.Now()) }

// EvalAt evaluates with now() and today() reading now (in now's location): the engine passes its step's
// time, so an evaluation can be repeated with the same result.
func (e *Expression) EvalAt(vars map[string]any, now time.Time) (any, error) {
	if e.literal {
		return e.src, nil
	}
	r := &run{vars: vars, now: now, budget: evalBudget}
	machine := machines.Get().(*vm.VM)
	out, err := machine.Run(e.program, env{R: r, C: e.consts})
	machines.Put(machine)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) && fe.Unwrap() != nil {
			err = fe.Unwrap() // our function's own error, without expr's view of the translated program
		}
		return nil, fmt.Errorf("expression %s: %w", quoteShort(e.src), err)
	}
	size := 0
	out, err = normalize(out, &size)
	if err != nil {
		return nil, fmt.Errorf("expression %s: %w", quoteShort(e.src), err)
	}
	return out, nil
}

// EvalBool evaluates a condition; a result that is not a boolean (null included) is an error saying what
// it was, since a sequence flow must be either taken or not.
func (e *Expression) EvalBool(vars map[string]any) (bool, error) {
	return e.EvalBoolAt(vars, time.Now())
}

// EvalBoolAt is EvalBool with now() reading now.
func (e *Expression) EvalBoolAt(vars map[string]any, now time.Time) (bool, error) {
	if e.literal {
		return false, fmt.Errorf("condition %s is a literal string, not an expression: start it with =", quoteShort(e.src))
	}
	v, err := e.EvalAt(vars, now)
	if err != nil {
		return false, err
	}
	if b, ok := v.(bool); ok {
		return b, nil
	}
	return false, fmt.Errorf("condition %s evaluated to %s, not a boolean", quoteShort(e.src), describeValue(v))
}

// EvalString evaluates an expression whose value is text, such as a timer's: a string as it is, a date and
// time or a duration in ISO 8601. Anything else is an error naming what it was.
func (e *Expression) EvalString(vars map[string]any, now time.Time) (string, error) {
	v, err := e.EvalAt(vars, now)
	if err != nil {
		return "", err
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	case Duration:
		return x.String(), nil
	}
	return "", fmt.Errorf("expression %s evaluated to %s, not a string, a date and time or a duration",
		quoteShort(e.src), describeValue(v))
}

// describeValue names a value's type and shows it briefly: a number (3), a string ("yes"), null.
func describeValue(v any) string {
	if v == nil {
		return "null"
	}
	r := &run{budget: 1000}
	var b strings.Builder
	if err := writeValue(r, &b, v, true); err != nil || b.Len() > 60 {
		return "a " + typeName(v)
	}
	return fmt.Sprintf("a %s (%s)", typeName(v), b.String())
}
