package expr

import (
	"fmt"
	"strconv"
	"strings"
)

// The parser reads the FEEL subset by recursive descent and writes, as it goes, the expr-lang program that
// evaluates it. Every FEEL operation becomes a call of a runtime function (functions.go) that takes the
// evaluation's state R first, so FEEL's null and number semantics hold wherever expr's own would differ;
// constants go to a table C, so no FEEL text is ever re-quoted into expr syntax.
//
// Precedence, lowest first: if; or; and; comparison (= != < <= > >= in); + -; * /; **; unary -; paths (x.y).

// maxDepth bounds nesting, so a hostile expression cannot exhaust the stack.
const maxDepth = 64

// node is a translated sub-expression: its expr code and, for a literal, its value (so date("...") with a
// literal argument is checked at compile time).
type node struct {
	code  string
	lit   any
	isLit bool
	pos   int
}

type parser struct {
	src    string
	toks   []token
	i      int
	depth  int
	consts []any
	strIdx map[string]int      // string constants already in consts
	scopes []map[string]string // context entries visible to the entries after them: FEEL name -> let name
	lets   int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// is reports whether the next token is the punctuation or (unquoted) keyword text.
func (p *parser) is(text string) bool {
	t := p.peek()
	return (t.kind == tokPunct || t.kind == tokName) && t.text == text && !p.quoted(t)
}

// quoted reports whether a name token was written in backticks (then it is a name, never a keyword).
func (p *parser) quoted(t token) bool { return t.kind == tokName && p.src[t.pos] == '`' }

func (p *parser) expect(text, after string) error {
	if !p.is(text) {
		return p.unexpected(fmt.Sprintf("(expected %q %s)", text, after))
	}
	p.next()
	return nil
}

// unexpected is the error for the next token, naming it.
func (p *parser) unexpected(why string) error {
	t := p.peek()
	switch {
	case t.kind == tokEOF:
		return errorAt(p.src, t.pos, "end of expression", "comes too early "+why)
	case t.text == "=" && p.i > 0 && p.toks[p.i-1].text == "=" && p.toks[p.i-1].pos == t.pos-1:
		return errorAt(p.src, t.pos-1, `"=="`, "is not FEEL: equality is a single =")
	case t.text == "!":
		return errorAt(p.src, t.pos, `"!"`, "is not FEEL: write not(x), or != for inequality")
	}
	return errorAt(p.src, t.pos, describe(t), "is not expected here "+why)
}

func describe(t token) string {
	switch t.kind {
	case tokNumber:
		return "number " + t.text
	case tokString:
		return "string " + quoteShort(t.str)
	case tokName:
		return fmt.Sprintf("name %q", t.text)
	}
	return strconv.Quote(t.text)
}

// constant adds v to the constant table and returns the code that reads it.
func (p *parser) constant(v any) string {
	if s, ok := v.(string); ok {
		if i, seen := p.strIdx[s]; seen {
			return fmt.Sprintf("C[%d]", i)
		}
		p.strIdx[s] = len(p.consts)
	}
	p.consts = append(p.consts, v)
	return fmt.Sprintf("C[%d]", len(p.consts)-1)
}

func (p *parser) literal(v any, pos int) node {
	return node{code: p.constant(v), lit: v, isLit: true, pos: pos}
}

func call(fn string, args ...node) node {
	codes := make([]string, 0, len(args)+1)
	codes = append(codes, "R")
	for _, a := range args {
		codes = append(codes, a.code)
	}
	return node{code: fn + "(" + strings.Join(codes, ", ") + ")", pos: args0(args)}
}

func args0(args []node) int {
	if len(args) == 0 {
		return 0
	}
	return args[0].pos
}

// parseExpression: if c then a else b, the unsupported loops and quantifiers, or a disjunction.
func (p *parser) parseExpression() (node, error) {
	if p.depth++; p.depth > maxDepth {
		return node{}, errorAt(p.src, p.peek().pos, "nesting", fmt.Sprintf("is deeper than %d levels", maxDepth))
	}
	defer func() { p.depth-- }()
	t := p.peek()
	switch {
	case p.is("if"):
		return p.parseIf()
	case p.is("for"):
		return node{}, errorAt(p.src, t.pos, `"for" loop`, "is not supported")
	case p.is("some") || p.is("every"):
		return node{}, errorAt(p.src, t.pos, fmt.Sprintf("quantified expression (%q ... satisfies)", t.text), "is not supported")
	case p.is("function"):
		return node{}, errorAt(p.src, t.pos, "function definition", "is not supported")
	}
	return p.parseBinary(0)
}

func (p *parser) parseIf() (node, error) {
	at := p.next().pos
	cond, err := p.parseExpression()
	if err != nil {
		return node{}, err
	}
	if err := p.expect("then", "after the condition of if"); err != nil {
		return node{}, err
	}
	yes, err := p.parseExpression()
	if err != nil {
		return node{}, err
	}
	if err := p.expect("else", "after then: FEEL's if always has an else"); err != nil {
		return node{}, err
	}
	no, err := p.parseExpression()
	if err != nil {
		return node{}, err
	}
	return node{code: fmt.Sprintf("(f_true(R, %s) ? %s : %s)", cond.code, yes.code, no.code), pos: at}, nil
}
