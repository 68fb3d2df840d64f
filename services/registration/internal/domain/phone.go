package domain

import "strings"

// NormalizePhone turns a phone number into +<digits> (E.164-like, 8–15 digits). Spaces, dashes, dots and
// brackets are allowed in the input; a leading 00 is read as +.
func NormalizePhone(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	bad := func() (string, error) {
		return "", FieldError(ReasonInvalidField, field,
			"a phone number in international form with 8 to 15 digits, e.g. +44 7700 900123")
	}
	if !strings.HasPrefix(s, "+") {
		return bad()
	}
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return bad()
		}
	}
	n := b.Len() - 1
	if n < 8 || n > 15 || b.String()[1] == '0' {
		return bad()
	}
	return b.String(), nil
}
