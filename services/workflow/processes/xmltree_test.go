package processes

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
)

// Namespaces of a Camunda 8 BPMN file.
const (
	nsBPMN    = "http://www.omg.org/spec/BPMN/20100524/MODEL"
	nsDI      = "http://www.omg.org/spec/BPMN/20100524/DI"
	nsDC      = "http://www.omg.org/spec/DD/20100524/DC"
	nsOMGDI   = "http://www.omg.org/spec/DD/20100524/DI"
	nsZeebe   = "http://camunda.org/schema/zeebe/1.0"
	nsModeler = "http://camunda.org/schema/modeler/1.0"
	nsXSI     = "http://www.w3.org/2001/XMLSchema-instance"
)

// node is an element of a parsed file: enough of XML to check a BPMN file.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*node
	parent   *node
	text     string
}

func (n *node) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local && (a.Name.Space == "" || a.Name.Space == nsXSI || a.Name.Space == nsModeler) {
			return a.Value
		}
	}
	return ""
}

func (n *node) is(space, local string) bool { return n.name.Space == space && n.name.Local == local }

// walk calls f for n and every element under it, in document order.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// parseTree reads a whole document strictly: it fails on anything that is not well-formed XML.
func parseTree(t *testing.T, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root, cur *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name, attrs: tk.Attr, parent: cur}
			if cur == nil {
				if root != nil {
					t.Fatal("more than one root element")
				}
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(tk)
			}
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}
