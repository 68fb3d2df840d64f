package domain

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Password length limits: long enough to resist guessing, short enough that hashing stays cheap.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

//go:embed common_passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordList, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// PasswordProblems lists every rule password breaks for the account with e-mail email (empty: acceptable).
func PasswordProblems(password, email string) []string {
	var out []string
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		out = append(out, "use at least 12 characters (a few unrelated words work well)")
	}
	if n > MaxPasswordLength {
		out = append(out, "use at most 128 characters")
	}
	if commonPasswords[strings.ToLower(password)] {
		out = append(out, "this password is too common: choose one that others are unlikely to use")
	}
	if local := strings.ToLower(EmailLocal(email)); len(local) >= 3 && strings.Contains(strings.ToLower(password), local) {
		out = append(out, "do not include your e-mail address (or its part before @) in the password")
	}
	return out
}

// CheckPassword returns a 400 WEAK_PASSWORD naming every unmet rule as a violation on field "password".
func CheckPassword(password, email string) error {
	problems := PasswordProblems(password, email)
	if len(problems) == 0 {
		return nil
	}
	v := make([]apierr.FieldViolation, 0, len(problems))
	for _, p := range problems {
		v = append(v, apierr.FieldViolation{Field: "password", Description: p})
	}
	return apierr.Invalid(ReasonWeakPassword, "the password does not meet the policy: "+strings.Join(problems, "; "), v...)
}
