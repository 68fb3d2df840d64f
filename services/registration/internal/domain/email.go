package domain

import (
	"net/mail"
	"strings"
)

// MaxEmailLength is the longest e-mail address accepted (RFC 5321 path limit).
const MaxEmailLength = 254

// NormalizeEmail checks an e-mail address's structure and returns it with its domain in lower case. It
// accepts only a bare address (no display name), with exactly one @ and a domain that has a dot.
func NormalizeEmail(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := func(d string) (string, error) { return "", FieldError(ReasonInvalidEmail, field, d) }
	switch {
	case s == "":
		return bad("an e-mail address is required, e.g. name@ministry.gov.example")
	case len(s) > MaxEmailLength:
		return bad("an e-mail address has at most 254 characters")
	case strings.Count(s, "@") != 1:
		return bad("an e-mail address has exactly one @, e.g. name@ministry.gov.example")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return bad("not a valid e-mail address, e.g. name@ministry.gov.example")
	}
	local, dom, _ := strings.Cut(s, "@")
	dom = strings.ToLower(dom)
	if !validDomain(dom) {
		return bad("the part after @ must be a domain name such as ministry.gov.example")
	}
	return local + "@" + dom, nil
}

// validDomain accepts dot-separated labels of letters, digits and inner hyphens, at least two labels.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// EmailDomain returns the domain of a normalised e-mail address.
func EmailDomain(email string) string {
	_, d, _ := strings.Cut(email, "@")
	return d
}

// EmailLocal returns the part of an e-mail address before the @.
func EmailLocal(email string) string {
	l, _, _ := strings.Cut(email, "@")
	return l
}

// DomainCandidates returns d and each parent suffix with at least two labels, longest first, so that
// justice.gov.uk is approved when gov.uk is.
func DomainCandidates(d string) []string {
	labels := strings.Split(d, ".")
	var out []string
	for i := 0; i+2 <= len(labels); i++ {
		out = append(out, strings.Join(labels[i:], "."))
	}
	return out
}

// EmailKey is the case-insensitive identity of an address (for uniqueness and the lockout table).
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// MaskEmail hides most of the local part: anna@moj.gov.example → a***@moj.gov.example.
func MaskEmail(email string) string {
	local, dom, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "***"
	}
	r := []rune(local)
	return string(r[0]) + "***@" + dom
}
