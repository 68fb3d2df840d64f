package domain

import (
	"slices"
	"testing"
)

// TestSearchWords: q's words are its runs of letters and digits, in any script; punctuation separates them.
func TestSearchWords(t *testing.T) {
	for q, want := range map[string][]string{
		"  PoE+ switches, 48-port ": {"PoE", "switches", "48", "port"},
		"Õunad ja pirnid":           {"Õunad", "ja", "pirnid"},
		"':*&|!()":                  nil,
		"":                          nil,
	} {
		got, bad := searchWords(q)
		if !slices.Equal(got, want) || (bad != nil) != (want == nil && q != "") {
			t.Errorf("%q: %q %v, want %q", q, got, bad, want)
		}
	}
	if q, err := NewTenderQuery("", "", "", "", "", 0); err != nil || q.Limit != DefaultPageSize {
		t.Fatalf("no parameters: %+v %v", q, err)
	}
}
