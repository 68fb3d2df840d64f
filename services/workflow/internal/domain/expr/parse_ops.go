package expr

import "fmt"

// levels are the binary operators by precedence, lowest first, with the runtime function each becomes.
var levels = []map[string]string{
	{"or": "f_or"},
	{"and": "f_and"},
	{"=": "f_eq", "!=": "f_ne", "<": "f_lt", "<=": "f_le", ">": "f_gt", ">=": "f_ge", "in": "f_in"},
	{"+": "f_add", "-": "f_sub"},
	{"*": "f_mul", "/": "f_div"},
	{"**": "f_pow"},
}

const comparisonLevel = 2

// operator returns the runtime function of the next token if it is an operator of the level.
func (p *parser) operator(level int) (string, bool) {
	t := p.peek()
	if (t.kind != tokPunct && t.kind != tokName) || p.quoted(t) {
		return "", false
	}
	fn, ok := levels[level][t.text]
	return fn, ok
}

// parseBinary parses the operators of one level and above; all are left-associative except comparisons,
// which FEEL does not chain (a < b < c is an error, not (a < b) < c).
func (p *parser) parseBinary(level int) (node, error) {
	if level == len(levels) {
		return p.parseUnary()
	}
	left, err := p.parseBinary(level + 1)
	if err != nil {
		return node{}, err
	}
	for {
		if level == comparisonLevel {
			if err := p.unsupportedComparison(); err != nil {
				return node{}, err
			}
		}
		fn, ok := p.operator(level)
		if !ok {
			return left, nil
		}
		op := p.next()
		if fn == "f_in" {
			if err := p.unaryTestAhead(); err != nil {
				return node{}, err
			}
		}
		right, err := p.parseBinary(level + 1)
		if err != nil {
			return node{}, err
		}
		left = call(fn, left, right)
		left.pos = op.pos
		if level == comparisonLevel {
			if _, again := p.operator(level); again {
				t := p.peek()
				return node{}, errorAt(p.src, t.pos, fmt.Sprintf("chained comparison %q", t.text),
					"is not FEEL: combine comparisons with and")
			}
			if err := p.unsupportedComparison(); err != nil {
				return node{}, err
			}
		}
	}
}

// unsupportedComparison names the comparison forms of FEEL this subset leaves out.
func (p *parser) unsupportedComparison() error {
	t := p.peek()
	switch {
	case p.is("between"):
		return errorAt(p.src, t.pos, `"between"`, "is not supported: write x >= a and x <= b")
	case p.is("instance"):
		return errorAt(p.src, t.pos, `"instance of"`, "is not supported")
	}
	return nil
}

// unaryTestAhead rejects FEEL's unary tests after in (x in < 5, x in (1..5)): only lists and values are
// supported there.
func (p *parser) unaryTestAhead() error {
	t := p.peek()
	if t.kind == tokPunct {
		switch t.text {
		case "<", "<=", ">", ">=", "!=", "=":
			return errorAt(p.src, t.pos, "unary test after in", "is not supported: write x "+t.text+" ...")
		case "(", "]":
			if p.rangeAhead() {
				return errorAt(p.src, t.pos, "range", "is not supported: write x >= a and x <= b")
			}
		}
	}
	return nil
}

// rangeAhead reports whether a ".." follows within the next few tokens: (1..5), ]1..5[.
func (p *parser) rangeAhead() bool {
	for k := p.i; k < len(p.toks) && k < p.i+4; k++ {
		if p.toks[k].text == ".." {
			return true
		}
	}
	return false
}

// parseUnary: -x, or a postfix expression.
func (p *parser) parseUnary() (node, error) {
	if !p.is("-") {
		return p.parsePostfix()
	}
	at := p.next().pos
	if p.depth++; p.depth > maxDepth {
		return node{}, errorAt(p.src, at, "nesting", fmt.Sprintf("is deeper than %d levels", maxDepth))
	}
	defer func() { p.depth-- }()
	x, err := p.parseUnary()
	if err != nil {
		return node{}, err
	}
	if f, ok := x.lit.(float64); ok && x.isLit {
		return p.literal(number(-f), at), nil
	}
	n := call("f_neg", x)
	n.pos = at
	return n, nil
}

// parsePostfix: a primary followed by paths (x.y.z). Filters and indexes (x[1], x[y > 2]) and calls of
// anything but a named built-in function are not in the subset.
func (p *parser) parsePostfix() (node, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return node{}, err
	}
	for {
		t := p.peek()
		switch {
		case p.is("."):
			p.next()
			name := p.peek()
			if name.kind != tokName {
				return node{}, p.unexpected("(expected a name after \".\")")
			}
			p.next()
			x = call("f_get", x, node{code: p.constant(name.text)})
		case p.is("["):
			return node{}, errorAt(p.src, t.pos, "filter or index (list[...])", "is not supported")
		case p.is("("):
			return node{}, errorAt(p.src, t.pos, "invocation of an expression", "is not supported: only built-in functions can be called")
		default:
			return x, nil
		}
	}
}
