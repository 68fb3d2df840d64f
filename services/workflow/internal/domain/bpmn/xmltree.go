package bpmn

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The namespaces a Camunda Modeler file uses.
const (
	nsBPMN     = "http://www.omg.org/spec/BPMN/20100524/MODEL"
	nsZeebe    = "http://camunda.org/schema/zeebe/1.0"
	nsCamunda7 = "http://camunda.org/schema/1.0/bpmn"
	nsXSI      = "http://www.w3.org/2001/XMLSchema-instance"
)

// Limits on what a definitions file may be: they bound the memory and time a hostile upload can take.
const (
	maxDepth    = 64
	maxNodes    = 50000
	maxTextSize = 1 << 20
)

// node is one XML element with the line it starts on; the parser reads a file into a tree of them first,
// so that the interpretation can look at an element's children in any order and name its line.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
	line     int
}

// attr returns the value of the unqualified (or BPMN-qualified) attribute local.
func (n *node) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local && (a.Name.Space == "" || a.Name.Space == nsBPMN) {
			return a.Value
		}
	}
	return ""
}

// hasAttr reports whether the attribute is present at all (an empty value counts).
func (n *node) hasAttr(local string) bool {
	for _, a := range n.attrs {
		if a.Name.Local == local && (a.Name.Space == "" || a.Name.Space == nsBPMN) {
			return true
		}
	}
	return false
}

// content is the element's text, trimmed.
func (n *node) content() string { return strings.TrimSpace(n.text.String()) }

func (n *node) is(space, local string) bool { return n.name.Space == space && n.name.Local == local }

// readTree reads an XML document into nodes. Syntax errors carry the line they were found on.
func readTree(r io.Reader) (*node, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	var stack []*node
	var root *node
	count := 0
	for {
		// The position before the token is where it starts: whitespace between elements is a token of its own.
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxProblem(err, line)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > maxNodes {
				return nil, &Error{Problems: []Problem{{Line: line, Message: fmt.Sprintf("the file has more than %d XML elements", maxNodes)}}}
			}
			if len(stack) >= maxDepth {
				return nil, &Error{Problems: []Problem{{Line: line, Message: fmt.Sprintf("elements are nested deeper than %d levels", maxDepth)}}}
			}
			n := &node{name: t.Name, attrs: t.Attr, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, &Error{Problems: []Problem{{Line: line, Message: "the file has more than one root element"}}}
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				if top.text.Len()+len(t) > maxTextSize {
					return nil, &Error{Problems: []Problem{{Line: line, Message: fmt.Sprintf("an element's text is longer than %d bytes", maxTextSize)}}}
				}
				top.text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, &Error{Problems: []Problem{{Line: 1, Message: "the file holds no XML element: send the BPMN 2.0 XML a modeler saves (<bpmn:definitions …>)"}}}
	}
	return root, nil
}

// syntaxProblem turns a decoder error into a Problem on its line.
func syntaxProblem(err error, line int) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{Problems: []Problem{{Line: se.Line, Message: "the file is not well-formed XML: " + se.Msg}}}
	}
	return &Error{Problems: []Problem{{Line: line, Message: "the file is not well-formed XML: " + err.Error()}}}
}
