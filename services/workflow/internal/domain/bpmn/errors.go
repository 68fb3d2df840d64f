package bpmn

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one reason a definitions file cannot be deployed: the element it is about (its id, "" for the
// file as a whole) and the line the element starts on.
type Problem struct {
	Element string
	Line    int
	Message string
}

func (p Problem) String() string {
	switch {
	case p.Element != "" && p.Line > 0:
		return fmt.Sprintf("%s (line %d): %s", p.Element, p.Line, p.Message)
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	case p.Element != "":
		return p.Element + ": " + p.Message
	}
	return p.Message
}

// Error lists every problem Parse found, in the order of the file.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "the BPMN definitions cannot be deployed: " + strings.Join(parts, "; ")
}

// problems collects Problems while a file is read.
type problems struct {
	list []Problem
}

func (ps *problems) add(id string, line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{Element: id, Line: line, Message: fmt.Sprintf(format, args...)})
}

// at adds a problem about node n.
func (ps *problems) at(n *node, format string, args ...any) {
	ps.add(n.attr("id"), n.line, format, args...)
}

// err is nil when nothing was found, else an *Error with the problems in file order.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool { return ps.list[i].Line < ps.list[j].Line })
	return &Error{Problems: ps.list}
}
