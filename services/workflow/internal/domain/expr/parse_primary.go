package expr

import (
	"fmt"
	"strings"
)

// keywords cannot be variable names unless written in backticks.
var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "if": true, "then": true, "else": true, "for": true, "in": true,
	"return": true, "some": true, "every": true, "satisfies": true, "between": true, "instance": true,
	"of": true, "function": true, "null": true, "true": true, "false": true,
}

func (p *parser) parsePrimary() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tokNumber:
		p.next()
		return p.literal(t.num, t.pos), nil
	case t.kind == tokString:
		p.next()
		return p.literal(t.str, t.pos), nil
	case p.is("null"):
		p.next()
		return node{code: "nil", isLit: true, pos: t.pos}, nil
	case p.is("true") || p.is("false"):
		p.next()
		return node{code: t.text, lit: t.text == "true", isLit: true, pos: t.pos}, nil
	case p.is("("):
		return p.parseParens()
	case p.is("["):
		return p.parseList()
	case p.is("{"):
		return p.parseContext()
	case p.is("@"):
		return p.parseTemporal()
	case p.is(".."):
		return node{}, errorAt(p.src, t.pos, "range", "is not supported: write x >= a and x <= b")
	case t.kind == tokName:
		return p.parseName()
	}
	return node{}, p.unexpected("(expected a value, a name, or an opening bracket)")
}

func (p *parser) parseParens() (node, error) {
	p.next()
	x, err := p.parseExpression()
	if err != nil {
		return node{}, err
	}
	if p.is("..") {
		return node{}, errorAt(p.src, p.peek().pos, "range", "is not supported: write x >= a and x <= b")
	}
	if err := p.expect(")", "to close the bracket"); err != nil {
		return node{}, err
	}
	x.code = "(" + x.code + ")"
	return x, nil
}

// parseList: [a, b, c] becomes expr's own array literal; its items are already FEEL values.
func (p *parser) parseList() (node, error) {
	at := p.next().pos
	items, err := p.parseItems("]", "list")
	if err != nil {
		return node{}, err
	}
	codes := make([]string, len(items))
	for i, it := range items {
		codes[i] = it.code
	}
	return node{code: "[" + strings.Join(codes, ", ") + "]", pos: at}, nil
}

// parseItems reads expressions separated by commas up to the closing bracket.
func (p *parser) parseItems(closing, what string) ([]node, error) {
	var items []node
	for !p.is(closing) {
		if len(items) > 0 {
			if err := p.expect(",", "between the items of a "+what); err != nil {
				return nil, err
			}
		}
		it, err := p.parseExpression()
		if err != nil {
			return nil, err
		}
		if p.is("..") {
			return nil, errorAt(p.src, p.peek().pos, "range", "is not supported: write x >= a and x <= b")
		}
		if p.is(":") && what == "function call" {
			return nil, errorAt(p.src, it.pos, "named parameter", "is not supported: pass the arguments in order")
		}
		items = append(items, it)
	}
	p.next()
	return items, nil
}

// parseContext: {a: 1, "b c": a + 1}. An entry sees the entries before it (FEEL scoping), so each value is
// bound with let and the context is built from the bound names.
func (p *parser) parseContext() (node, error) {
	at := p.next().pos
	scope := map[string]string{}
	p.scopes = append(p.scopes, scope)
	defer func() { p.scopes = p.scopes[:len(p.scopes)-1] }()
	var lets, pairs []string
	for !p.is("}") {
		if len(pairs) > 0 {
			if err := p.expect(",", "between the entries of a context"); err != nil {
				return node{}, err
			}
		}
		key := p.peek()
		if key.kind != tokName && key.kind != tokString {
			return node{}, p.unexpected("(expected a context key: a name or a string)")
		}
		p.next()
		name := key.text
		if key.kind == tokString {
			name = key.str
		}
		if _, dup := scope[name]; dup {
			return node{}, errorAt(p.src, key.pos, fmt.Sprintf("context key %q", name), "appears twice")
		}
		if err := p.expect(":", "after a context key"); err != nil {
			return node{}, err
		}
		val, err := p.parseExpression()
		if err != nil {
			return node{}, err
		}
		p.lets++
		bound := fmt.Sprintf("_k%d", p.lets)
		lets = append(lets, fmt.Sprintf("let %s = %s; ", bound, val.code))
		pairs = append(pairs, p.constant(name), bound)
		scope[name] = bound
	}
	p.next()
	return node{code: "(" + strings.Join(lets, "") + "f_ctx(" + strings.Join(append([]string{"R"}, pairs...), ", ") + "))", pos: at}, nil
}

// parseTemporal: @"2026-12-24T09:00:00@Europe/Tallinn", @"2026-12-24", @"P1D" — checked now, a constant at
// run time.
func (p *parser) parseTemporal() (node, error) {
	at := p.next()
	s := p.peek()
	if s.kind != tokString {
		return node{}, p.unexpected(`(expected a string after @, e.g. @"2026-12-24")`)
	}
	p.next()
	if t, err := parseDateTime(s.str); err == nil {
		return p.literal(t, at.pos), nil
	}
	if d, err := parseDate(s.str); err == nil {
		return p.literal(d, at.pos), nil
	}
	if d, err := parseDuration(s.str); err == nil {
		return p.literal(d, at.pos), nil
	}
	return node{}, errorAt(p.src, at.pos, "temporal literal @"+quoteShort(s.str),
		"is not a date and time, a date or a duration")
}

// parseName: a built-in function call (whose name may be several words: string length(s)), a context
// entry in scope, or a variable.
func (p *parser) parseName() (node, error) {
	t := p.peek()
	if name, words := p.functionAhead(); words > 0 {
		p.i += words
		return p.parseCall(name, t.pos)
	}
	if name, ok := p.unknownFunctionAhead(); ok {
		return node{}, errorAt(p.src, t.pos, fmt.Sprintf("function %q", name),
			"is not supported (supported: "+supportedFunctions()+")")
	}
	if keywords[t.text] && !p.quoted(t) {
		return node{}, p.unexpected("(a keyword; write a variable of that name in backticks)")
	}
	p.next()
	for k := len(p.scopes) - 1; k >= 0; k-- {
		if bound, ok := p.scopes[k][t.text]; ok {
			return node{code: bound, pos: t.pos}, nil
		}
	}
	return node{code: "f_var(R, " + p.constant(t.text) + ")", pos: t.pos}, nil
}

// functionAhead matches the longest built-in function name (in words) that starts at the next token and is
// followed by "(".
func (p *parser) functionAhead() (name string, words int) {
	for _, f := range functionNames {
		n := len(f.words)
		if p.i+n >= len(p.toks) || p.toks[p.i+n].text != "(" {
			continue
		}
		match := true
		for k, w := range f.words {
			tk := p.toks[p.i+k]
			if tk.kind != tokName || tk.text != w || p.quoted(tk) {
				match = false
				break
			}
		}
		if match {
			return f.name, n
		}
	}
	return "", 0
}

// unknownFunctionAhead reports a call of a function the subset does not have: up to four words, none a
// keyword (so "x and not(" is not mistaken for one), followed by "(", such as foo( or is defined(.
func (p *parser) unknownFunctionAhead() (string, bool) {
	var words []string
	for k := p.i; k < len(p.toks) && k < p.i+4; k++ {
		tk := p.toks[k]
		if tk.kind != tokName || p.quoted(tk) || keywords[tk.text] {
			return strings.Join(words, " "), len(words) > 0 && tk.text == "("
		}
		words = append(words, tk.text)
	}
	return "", false
}

func (p *parser) parseCall(name string, at int) (node, error) {
	p.next() // (
	args, err := p.parseItems(")", "function call")
	if err != nil {
		return node{}, err
	}
	b := builtins[name]
	if len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
		return node{}, errorAt(p.src, at, fmt.Sprintf("function %q", name), "takes "+b.arity()+fmt.Sprintf(", not %d", len(args)))
	}
	if b.literal != nil && len(args) == 1 {
		if s, ok := args[0].lit.(string); ok && args[0].isLit {
			v, err := b.literal(s)
			if err != nil {
				return node{}, errorAt(p.src, at, fmt.Sprintf("%s(%s)", name, quoteShort(s)), "is "+err.Error())
			}
			return p.literal(v, at), nil
		}
	}
	n := call(b.fn, args...)
	n.pos = at
	return n, nil
}
