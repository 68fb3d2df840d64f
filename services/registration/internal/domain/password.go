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

// The rules a password must meet, as the codes a WEAK_PASSWORD error's field violations carry (their
// reason): a client shows its own words for each.
const (
	PasswordTooShort      = "PASSWORD_TOO_SHORT"
	PasswordTooLong       = "PASSWORD_TOO_LONG"
	PasswordTooCommon     = "PASSWORD_TOO_COMMON"
	PasswordContainsEmail = "PASSWORD_CONTAINS_EMAIL"
)

// PasswordProblems lists every rule password breaks for the account with e-mail email (empty: acceptable),
// each with its rule code (Reason) and what to do (Description).
func PasswordProblems(password, email string) []apierr.FieldViolation {
	var out []apierr.FieldViolation
	broke := func(rule, what string) {
		out = append(out, apierr.FieldViolation{Field: "password", Reason: rule, Description: what})
	}
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		broke(PasswordTooShort, "use at least 12 characters (a few unrelated words work well)")
	}
	if n > MaxPasswordLength {
		broke(PasswordTooLong, "use at most 128 characters")
	}
	if commonPasswords[strings.ToLower(password)] {
		broke(PasswordTooCommon, "this password is too common: choose one that others are unlikely to use")
	}
	if local := strings.ToLower(EmailLocal(email)); len(local) >= 3 && strings.Contains(strings.ToLower(password), local) {
		broke(PasswordContainsEmail, "do not include your e-mail address (or its part before @) in the password")
	}
	return out
}

// CheckPassword returns a 400 WEAK_PASSWORD naming every unmet rule as a violation on field "password",
// whose reason is the rule's code.
func CheckPassword(password, email string) error {
	problems := PasswordProblems(password, email)
	if len(problems) == 0 {
		return nil
	}
	what := make([]string, 0, len(problems))
	for _, p := range problems {
		what = append(what, p.Description)
	}
	return apierr.Invalid(ReasonWeakPassword, "the password does not meet the policy: "+strings.Join(what, "; "), problems...)
}
