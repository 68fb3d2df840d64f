package i18n

import (
	"slices"
	"strings"
	"testing"
)

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "en"},
		{"et", "et"},
		{"et-EE,et;q=0.9,en-US;q=0.8,en;q=0.7", "et"},
		{"en-GB,en;q=0.9,et;q=0.8", "en"},
		{"fr-FR,fr;q=0.9", "en"},
		{"fr, et;q=0.5", "et"},
		{"en;q=0.3, et;q=0.7", "et"},
		{"et;q=0, en;q=0.1", "en"},
		{"et;q=banana", "en"},
		{"ET", "et"},
		{"*", "en"},
	} {
		if got := Negotiate(tc.header); got != tc.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "et-EE,et;q=0.9", "en;q=1.0", ";;;,,,", "et;q=1e309", strings.Repeat("et,", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if got := Negotiate(header); !slices.Contains(Languages, got) {
			t.Fatalf("Negotiate(%q) = %q, not a supported language", header, got)
		}
	})
}
