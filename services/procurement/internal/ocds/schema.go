package ocds

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// schemaFS holds OCDS 1.1.5 with the bids extension (see schema/SOURCE.md): the service never reads
// ../shared at run time.
//
//go:embed schema/*.json schema/codelists/*.csv
var schemaFS embed.FS

const (
	releaseSchemaFile = "schema/release-schema-1.1.5+bids.json"
	// schemaBase is where OCDS 1.1.5 publishes its schemas; the package schemas $ref these URLs.
	schemaBase = "https://standard.open-contracting.org/schema/1__1__5/"
)

// node is what the merge and the codelist check need to know about one field of the release schema.
type node struct {
	props     map[string]*node // properties, when the field is an object
	items     *node            // the item schema of an array of objects
	omit      bool             // omitWhenMerged: left out of compiled and versioned releases
	wholeList bool             // the array is replaced, never merged item by item
	idMerge   bool             // an array of objects merged by their "id"
	versionID bool             // an "id" that is versioned even inside an array merged by identifier
	codelist  string           // the CSV of codes the field takes, if any
	open      bool             // the codelist is open (the schema does not enumerate it)
}

// prop returns the rules of a property, or nil for a field the schema does not describe (an extension).
func (n *node) prop(name string) *node {
	if n == nil {
		return nil
	}
	return n.props[name]
}

var (
	rulesOnce sync.Once
	rules     *node
	rulesErr  error
)

// releaseRules returns the merge and codelist rules read from the embedded release schema.
func releaseRules() (*node, error) {
	rulesOnce.Do(func() {
		var doc map[string]any
		if rulesErr = readJSON(releaseSchemaFile, &doc); rulesErr != nil {
			return
		}
		defs, _ := doc["definitions"].(map[string]any)
		w := walker{defs: defs, busy: map[string]bool{}}
		rules = w.node(doc)
	})
	return rules, rulesErr
}

func readJSON(name string, v any) error {
	raw, err := schemaFS.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// walker turns the release schema into nodes, following local "#/definitions/..." references.
type walker struct {
	defs map[string]any
	busy map[string]bool // definitions being walked: a cycle stops there instead of recursing forever
}

// resolve follows $ref (the release schema only uses local ones) and returns the effective schema.
// Keywords beside a $ref (title, description, wholeListMerge...) are kept: OCDS puts merge flags there.
func (w walker) resolve(s map[string]any) (map[string]any, string) {
	ref, _ := s["$ref"].(string)
	name, ok := strings.CutPrefix(ref, "#/definitions/")
	if !ok {
		return s, ""
	}
	target, _ := w.defs[name].(map[string]any)
	merged := make(map[string]any, len(target)+len(s))
	for k, v := range target {
		merged[k] = v
	}
	for k, v := range s {
		if k != "$ref" {
			merged[k] = v
		}
	}
	return merged, name
}

// node applies the rules of the OCDS merging page (as ocdsmerge reads them) to one schema.
func (w walker) node(raw map[string]any) *node {
	s, def := w.resolve(raw)
	if def != "" {
		if w.busy[def] {
			return &node{}
		}
		w.busy[def] = true
		defer delete(w.busy, def)
	}
	n := &node{versionID: s["versionId"] == true}
	n.codelist, _ = s["codelist"].(string)
	n.open = s["openCodelist"] != false
	switch types := typesOf(s); {
	case s["omitWhenMerged"] == true || s["mergeStrategy"] == "ocdsOmit":
		n.omit = true
	case types["object"] && s["properties"] != nil:
		n.props = w.properties(s)
	case types["array"]:
		w.array(n, s, s["wholeListMerge"] == true || s["mergeStrategy"] == "ocdsVersion")
	}
	return n
}

func (w walker) properties(s map[string]any) map[string]*node {
	props, _ := s["properties"].(map[string]any)
	out := make(map[string]*node, len(props))
	for name, p := range props {
		if ps, ok := p.(map[string]any); ok {
			out[name] = w.node(ps)
		}
	}
	return out
}

// array: arrays flagged wholeListMerge, arrays of non-objects and arrays of objects without an "id"
// property are whole-list merged; other arrays of objects are merged by identifier. The item rules are
// kept for arrays of objects either way, for the codelist check.
func (w walker) array(n *node, s map[string]any, flagged bool) {
	raw, _ := s["items"].(map[string]any)
	items, _ := w.resolve(raw)
	itemTypes := typesOf(items)
	props, _ := items["properties"].(map[string]any)
	objects := len(itemTypes) == 1 && itemTypes["object"]
	if objects {
		n.items = w.node(raw)
	}
	if flagged || !objects || props["id"] == nil {
		n.wholeList = true
		// A string array with a codelist on its items keeps it on the array's node.
		if c, ok := items["codelist"].(string); ok {
			n.codelist, n.open = c, items["openCodelist"] != false
		}
		return
	}
	n.idMerge = true
}

func typesOf(s map[string]any) map[string]bool {
	out := map[string]bool{}
	switch t := s["type"].(type) {
	case string:
		out[t] = true
	case []any:
		for _, v := range t {
			if name, ok := v.(string); ok && name != "null" {
				out[name] = true
			}
		}
	}
	return out
}
