package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// A request body is read into a small tree before it is checked against the request message: the check
// needs the keys in the order they came, where each string was (to name a field that holds bytes that are
// not UTF-8, which encoding/json silently replaces), and the JSON type of every value.

type jkind byte

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jObject
	jArray
)

// jnode is one JSON value of a request body.
type jnode struct {
	kind    jkind
	text    string // a string's value or a number's literal
	b       bool
	keys    []string // object keys in body order; vals holds their values
	keyBad  []bool   // object key i holds bytes that are not UTF-8
	vals    []*jnode // object values or array items
	badUTF8 bool     // a string that holds bytes that are not UTF-8
}

// maxDepth bounds nesting: deeper bodies are refused rather than walked (recursion depth, and no GovStack
// payload needs it).
const maxDepth = 64

// syntaxError is a body that is not JSON; Error says what and where.
type syntaxError struct {
	what   string
	offset int64
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("the request body is not valid JSON: %s at offset %d", e.what, e.offset)
}

// parseJSON reads one JSON value; trailing data other than white space is an error.
func parseJSON(body []byte) (*jnode, error) {
	p := &jparser{dec: json.NewDecoder(bytes.NewReader(body)), bad: int64(firstInvalidUTF8(body)), size: int64(len(body))}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.dec.More() {
		return nil, &syntaxError{what: "more data follows the JSON value", offset: p.dec.InputOffset()}
	}
	if _, err := p.dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		return nil, p.syntax(err)
	}
	return n, nil
}

type jparser struct {
	dec  *json.Decoder
	bad  int64 // offset of the first byte that is not UTF-8, -1 for none
	size int64
}

// spans reports whether the bad byte lies in [start, end).
func (p *jparser) spans(start, end int64) bool { return p.bad >= start && p.bad < end }

func (p *jparser) syntax(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &syntaxError{what: se.Error(), offset: se.Offset}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &syntaxError{what: "the body ends before the JSON value is complete", offset: p.size}
	}
	return &syntaxError{what: err.Error(), offset: p.dec.InputOffset()}
}

func (p *jparser) value(depth int) (*jnode, error) {
	start := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	end := p.dec.InputOffset()
	switch t := tok.(type) {
	case nil:
		return &jnode{kind: jNull}, nil
	case bool:
		return &jnode{kind: jBool, b: t}, nil
	case json.Number:
		return &jnode{kind: jNumber, text: string(t)}, nil
	case string:
		return &jnode{kind: jString, text: t, badUTF8: p.spans(start, end)}, nil
	case json.Delim:
		if depth >= maxDepth {
			return nil, &syntaxError{what: "values are nested more than " + strconv.Itoa(maxDepth) + " levels deep", offset: start}
		}
		if t == '{' {
			return p.object(depth)
		}
		return p.array(depth)
	}
	return nil, &syntaxError{what: "unexpected token", offset: start}
}

func (p *jparser) object(depth int) (*jnode, error) {
	n := &jnode{kind: jObject}
	for p.dec.More() {
		start := p.dec.InputOffset()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.syntax(err)
		}
		key, _ := tok.(string) // the decoder only returns a string here
		n.keys = append(n.keys, key)
		n.keyBad = append(n.keyBad, p.spans(start, p.dec.InputOffset()))
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
	}
	return n, p.closing()
}

func (p *jparser) array(depth int) (*jnode, error) {
	n := &jnode{kind: jArray}
	for p.dec.More() {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
	}
	return n, p.closing()
}

func (p *jparser) closing() error {
	if _, err := p.dec.Token(); err != nil {
		return p.syntax(err)
	}
	return nil
}

// firstInvalidUTF8 is the offset of the first byte of b that is not part of valid UTF-8, or -1.
func firstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// describe says what a client sent, for "got …" in messages.
func (n *jnode) describe() string {
	switch n.kind {
	case jNull:
		return "null"
	case jBool:
		return strconv.FormatBool(n.b)
	case jNumber:
		return n.text
	case jString:
		return "the string " + echoValue(n.text)
	case jObject:
		return "an object"
	}
	return "a list"
}

// write appends n as compact JSON.
func (n *jnode) write(b *bytes.Buffer) {
	switch n.kind {
	case jNull:
		b.WriteString("null")
	case jBool:
		b.WriteString(strconv.FormatBool(n.b))
	case jNumber:
		b.WriteString(n.text)
	case jString:
		b.WriteString(quoteJSON(n.text))
	case jObject:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quoteJSON(k))
			b.WriteByte(':')
			n.vals[i].write(b)
		}
		b.WriteByte('}')
	case jArray:
		b.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			v.write(b)
		}
		b.WriteByte(']')
	}
}

// quoteJSON writes s as a JSON string.
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
