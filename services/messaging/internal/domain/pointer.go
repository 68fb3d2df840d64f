package domain

import (
	"strconv"
	"strings"
)

// Lookup resolves a JSON pointer (RFC 6901) in a decoded JSON value; ok is false when a step is missing.
func Lookup(doc any, pointer string) (any, bool) {
	if pointer == "" {
		return doc, true
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, false
	}
	cur := doc
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// Recipients returns the addresses at pointer for channel c: a string is one address, an array gives one per
// element, and an object (or an array element that is one) contributes its "email" or "phone" member.
// Empty values are skipped: an event without an address for this rule sends nothing.
func Recipients(doc any, pointer string, c Channel) []string {
	v, ok := Lookup(doc, pointer)
	if !ok {
		return nil
	}
	member := "email"
	if c == SMS {
		member = "phone"
	}
	var out []string
	var add func(v any, nested bool)
	add = func(v any, nested bool) {
		switch x := v.(type) {
		case string:
			if strings.TrimSpace(x) != "" {
				out = append(out, x)
			}
		case map[string]any:
			add(x[member], true)
		case []any:
			if nested {
				return
			}
			for _, e := range x {
				add(e, true)
			}
		}
	}
	add(v, false)
	return out
}
