package domain

import (
	"bufio"
	_ "embed"
	"strings"
)

//go:embed webmail_domains.txt
var shippedWebmail string

// Webmail is the list of personal webmail domains (gmail.com, outlook.*, …): an address there belongs to
// a person, so its domain cannot be approved as a public-sector domain (issue 11).
type Webmail struct {
	exact map[string]bool
	label map[string]bool // "gmx" for gmx.*: the domain's first label under any top-level domain
}

// ShippedWebmail is the list that comes with the BB (internal/domain/webmail_domains.txt).
func ShippedWebmail() Webmail { return ParseWebmail(shippedWebmail) }

// ParseWebmail reads a list in the file's format: one domain per line, "label.*" for any top-level domain,
// "#" comments.
func ParseWebmail(text string) Webmail {
	w := Webmail{exact: map[string]bool{}, label: map[string]bool{}}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.ToLower(strings.TrimSpace(line))
		switch {
		case line == "":
		case strings.HasSuffix(line, ".*"):
			w.label[strings.TrimSuffix(line, ".*")] = true
		default:
			w.exact[line] = true
		}
	}
	return w
}

// Contains reports whether domain (e.g. "gmx.de") is a webmail domain.
func (w Webmail) Contains(domain string) bool {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if w.exact[domain] {
		return true
	}
	first, rest, ok := strings.Cut(domain, ".")
	if !ok || !w.label[first] {
		return false
	}
	return !strings.Contains(rest, ".") || isCountrySecondLevel(rest) // gmx.de, outlook.co.uk
}

// isCountrySecondLevel recognises "co.uk"-style endings, so outlook.co.uk counts as outlook.*.
func isCountrySecondLevel(rest string) bool {
	parts := strings.Split(rest, ".")
	return len(parts) == 2 && len(parts[1]) == 2 && (parts[0] == "co" || parts[0] == "com")
}

// Len is how many entries the list has.
func (w Webmail) Len() int { return len(w.exact) + len(w.label) }
