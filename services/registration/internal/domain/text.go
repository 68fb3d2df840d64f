package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CheckText trims s and checks it has min..max characters, returning a field violation otherwise.
func CheckText(field, s string, min, max int) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < min || n > max {
		if min > 0 && n == 0 {
			return "", FieldError(ReasonInvalidField, field, "required")
		}
		return "", FieldError(ReasonInvalidField, field, fmt.Sprintf("must be %d to %d characters", min, max))
	}
	return s, nil
}
