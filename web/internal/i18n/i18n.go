// Package i18n gives the portal's text in English and Estonian from message files (messages/<lang>.json:
// one flat object of key → text, "{0}", "{1}" … for arguments). The language comes from the person's choice
// (the switch link) or else from Accept-Language; English is the fallback for a missing key, which the
// tests forbid.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed messages/*.json
var files embed.FS

// Languages are the supported languages, the default first.
var Languages = []string{"en", "et"}

// Catalog holds every language's messages.
type Catalog struct {
	messages map[string]map[string]string
	// OnMissing, when set, is told of every key asked for that a language lacks (tests fail on it).
	OnMissing func(lang, key string)
}

// Load reads the embedded message files.
func Load() (*Catalog, error) {
	c := &Catalog{messages: map[string]map[string]string{}}
	for _, lang := range Languages {
		raw, err := files.ReadFile(path.Join("messages", lang+".json"))
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("messages/%s.json: %w", lang, err)
		}
		c.messages[lang] = m
	}
	return c, nil
}

// Keys are the message keys of lang, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether lang has key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.messages[lang][key]
	return ok
}

// Localizer is the text of one language.
type Localizer struct {
	Lang string
	c    *Catalog
}

// For returns the localizer of lang (a supported one; the default otherwise).
func (c *Catalog) For(lang string) Localizer {
	if _, ok := c.messages[lang]; !ok {
		lang = Languages[0]
	}
	return Localizer{Lang: lang, c: c}
}

// T is the text of key with args in place of {0}, {1}, …; a missing key shows as itself, so it is seen.
func (l Localizer) T(key string, args ...any) string {
	s, ok := l.c.messages[l.Lang][key]
	if !ok {
		if l.c.OnMissing != nil {
			l.c.OnMissing(l.Lang, key)
		}
		if s, ok = l.c.messages[Languages[0]][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(args))
	for i, a := range args {
		pairs = append(pairs, "{"+strconv.Itoa(i)+"}", fmt.Sprint(a))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Has reports whether the localizer's language has key.
func (l Localizer) Has(key string) bool { return l.c.Has(l.Lang, key) }
