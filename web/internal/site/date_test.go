package site

import (
	"testing"
	"time"
)

func TestDateOf(t *testing.T) {
	for _, tc := range []struct {
		d, m, y, want string
		ok            bool
	}{
		{"1", "1", "1978", "1978-01-01", true},
		{"29", "2", "2024", "2024-02-29", true},
		{"29", "2", "2023", "", false},
		{"31", "4", "1990", "", false},
		{"", "1", "1990", "", false},
		{"1", "13", "1990", "", false},
		{"1", "1", "90", "", false},
		{" 1", "1", "1990", "", false},
	} {
		f := NewForm().Set("b-day", tc.d).Set("b-month", tc.m).Set("b-year", tc.y)
		got, ok := dateOf(f, "b")
		if got != tc.want || ok != tc.ok {
			t.Errorf("dateOf(%q %q %q) = %q %v", tc.d, tc.m, tc.y, got, ok)
		}
	}
}

// Whatever a person types in the three boxes, a date the portal sends is a real YYYY-MM-DD.
func FuzzDateOf(f *testing.F) {
	f.Add("1", "1", "1978")
	f.Add("-0", "+2", "0099")
	f.Add("31", "2", "2000")
	f.Fuzz(func(t *testing.T, d, m, y string) {
		got, ok := dateOf(NewForm().Set("b-day", d).Set("b-month", m).Set("b-year", y), "b")
		if !ok {
			return
		}
		if _, err := time.Parse(time.DateOnly, got); err != nil {
			t.Fatalf("dateOf(%q, %q, %q) = %q, not a date", d, m, y, got)
		}
	})
}

// SafeNext keeps a person on the site whatever ?next= says.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/appointments", "//evil.example", "/\\evil", "https://evil.example", "/a?b=c", "/%0d%0a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next, "/")
		if got != "/" && got != next {
			t.Fatalf("SafeNext(%q) = %q", next, got)
		}
		if len(got) > 1 && (got[0] != '/' || got[1] == '/' || got[1] == '\\') {
			t.Fatalf("SafeNext(%q) = %q leaves the site", next, got)
		}
	})
}
