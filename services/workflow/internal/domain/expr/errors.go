package expr

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CompileError is an expression the engine will not run: it names where (line and column, counted in
// characters from the start of the text as the modeler shows it, the leading "=" included) and what
// (Construct), so a deploy can report it against the BPMN element that holds the expression.
type CompileError struct {
	Source    string
	Offset    int // byte offset of the construct in Source
	Line      int // 1-based
	Column    int // 1-based, in characters
	Construct string
	Reason    string
}

func (e *CompileError) Error() string {
	where := fmt.Sprintf("column %d", e.Column)
	if strings.Contains(e.Source, "\n") {
		where = fmt.Sprintf("line %d, column %d", e.Line, e.Column)
	}
	return fmt.Sprintf("expression %s: %s: %s %s", quoteShort(e.Source), where, e.Construct, e.Reason)
}

// errorAt builds the CompileError for the construct at byte offset off of src.
func errorAt(src string, off int, construct, reason string) *CompileError {
	off = min(max(off, 0), len(src))
	before := src[:off]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return &CompileError{Source: src, Offset: off, Line: line, Column: col, Construct: construct, Reason: reason}
}

// quoteShort quotes an expression for a message, cut to a length a log line can carry.
func quoteShort(s string) string {
	const max = 120
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
