package imident

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{"EE/GOV/70000001/registries", " a / b / c / d ", "", "////", "a/b/c", "a/b/c/d/e",
		strings.Repeat("x", 300), "\xff/\x00/c/d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), wantPrefix) {
				t.Fatalf("error %q lacks the explanation", err)
			}
			if len(err.Error()) > len(wantPrefix)+4*maxEcho*4+64 {
				t.Fatalf("error echoes too much: %d bytes", len(err.Error()))
			}
			return
		}
		again, err := Parse(c.String())
		if err != nil || again != c {
			t.Fatalf("round trip of %q: %+v → %q → %+v, %v", s, c, c.String(), again, err)
		}
	})
}
