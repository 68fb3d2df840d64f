package i18n

import (
	"slices"
	"strings"
	"testing"
)

// Both languages have exactly the same keys, none empty, with the same arguments.
func TestLanguagesHaveTheSameKeys(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := c.Keys("en")
	for _, lang := range Languages[1:] {
		if other := c.Keys(lang); !slices.Equal(en, other) {
			for _, k := range en {
				if !c.Has(lang, k) {
					t.Errorf("%s lacks %s", lang, k)
				}
			}
			for _, k := range other {
				if !c.Has("en", k) {
					t.Errorf("%s has %s, which en lacks", lang, k)
				}
			}
		}
		for _, k := range en {
			e, o := c.For("en").T(k), c.For(lang).T(k)
			if strings.TrimSpace(o) == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
			for i := range 5 {
				arg := "{" + string(rune('0'+i)) + "}"
				if strings.Contains(e, arg) != strings.Contains(o, arg) {
					t.Errorf("%s: %s: en and %s differ in %s", lang, k, lang, arg)
				}
			}
		}
	}
}

func TestTranslate(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	c.OnMissing = func(lang, key string) { missing = append(missing, lang+":"+key) }
	if got := c.For("et").T("layout.signed_in_as", "Mari"); got != "Sisse logitud: Mari" {
		t.Errorf("T = %q", got)
	}
	if got := c.For("xx").Lang; got != "en" {
		t.Errorf("an unknown language gives %q", got)
	}
	if got := c.For("en").T("no.such.key"); got != "no.such.key" || len(missing) != 1 {
		t.Errorf("a missing key gives %q, reported %v", got, missing)
	}
}
