package ocds

import (
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"sync"
)

var (
	codesOnce sync.Once
	codes     map[string]map[string]bool // codelist file → its codes
	codesErr  error
)

// Codes returns the codes of an embedded codelist, e.g. Codes("partyRole.csv").
func Codes(codelist string) (map[string]bool, error) {
	codesOnce.Do(func() { codes, codesErr = readCodelists() })
	if codesErr != nil {
		return nil, codesErr
	}
	c, ok := codes[codelist]
	if !ok {
		return nil, fmt.Errorf("codelist %s is not embedded", codelist)
	}
	return c, nil
}

func readCodelists() (map[string]map[string]bool, error) {
	entries, err := schemaFS.ReadDir("schema/codelists")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, e := range entries {
		f, err := schemaFS.Open("schema/codelists/" + e.Name())
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) == 0 {
			return nil, fmt.Errorf("codelist %s: %v", e.Name(), err)
		}
		col := columnOf(rows[0], "Code")
		if col < 0 {
			return nil, fmt.Errorf("codelist %s has no Code column", e.Name())
		}
		set := map[string]bool{}
		for _, row := range rows[1:] {
			set[row[col]] = true
		}
		out[e.Name()] = set
	}
	return out, nil
}

func columnOf(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// CheckCodelists reports the codes of open codelists (party roles, document types, award criteria,
// submission methods, milestone types, classification schemes...) that are not in the codelists OCDS
// 1.1.5 and the bids extension publish. The schema accepts any code there — publishers may add their
// own — so Validate does not; the service calls this on what it publishes, so its own codes stay
// standard. Closed codelists are enforced by Validate. release is a decoded release.
func CheckCodelists(release map[string]any) error {
	rules, err := releaseRules()
	if err != nil {
		return err
	}
	c := codeChecker{}
	c.object("", release, rules)
	if len(c.problems) == 0 {
		return nil
	}
	sort.SliceStable(c.problems, func(i, j int) bool { return c.problems[i].Pointer < c.problems[j].Pointer })
	if len(c.problems) > maxReported {
		c.problems = c.problems[:maxReported]
	}
	return &ValidationError{Kind: KindRelease, Problems: c.problems}
}

type codeChecker struct{ problems []Problem }

func (c *codeChecker) object(at string, obj map[string]any, n *node) {
	for key, v := range obj {
		child := n.prop(key)
		if child == nil {
			continue // outside the schema: no codelist to hold it to
		}
		c.value(at+"/"+pointer([]string{key})[1:], v, child)
	}
}

func (c *codeChecker) value(at string, v any, n *node) {
	switch v := v.(type) {
	case map[string]any:
		c.object(at, v, n)
	case []any:
		for i, item := range v {
			itemAt := at + "/" + strconv.Itoa(i)
			if obj, ok := item.(map[string]any); ok {
				c.object(itemAt, obj, n.items)
			} else {
				c.code(itemAt, item, n)
			}
		}
	default:
		c.code(at, v, n)
	}
}

func (c *codeChecker) code(at string, v any, n *node) {
	s, ok := v.(string)
	if !ok || n == nil || n.codelist == "" || !n.open {
		return
	}
	known, err := Codes(n.codelist)
	if err != nil {
		c.problems = append(c.problems, Problem{Pointer: at, Message: err.Error()})
		return
	}
	if !known[s] {
		c.problems = append(c.problems, Problem{Pointer: at, Message: fmt.Sprintf("%q is not in the %s codelist", s, n.codelist)})
	}
}
