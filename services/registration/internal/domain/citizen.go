package domain

import (
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Citizen is a citizen's self-registration as given.
type Citizen struct {
	NationalID, FirstName, LastName, BirthDate, Email, Phone, Address string
}

// ValidateCitizen checks the fields and returns them normalised; the error names every bad field (one
// InvalidArgument with a violation each, the first one's reason).
func ValidateCitizen(c Citizen) (Citizen, error) {
	var errs []error
	check := func(v *string, f func(string) (string, error)) {
		out, err := f(*v)
		if err != nil {
			errs = append(errs, err)
			return
		}
		*v = out
	}
	text := func(field string, min, max int) func(string) (string, error) {
		return func(s string) (string, error) { return CheckText(field, s, min, max) }
	}
	check(&c.NationalID, text("citizen.nationalId", 1, 64))
	check(&c.FirstName, text("citizen.firstName", 1, 200))
	check(&c.LastName, text("citizen.lastName", 1, 200))
	switch _, perr := time.Parse(time.DateOnly, c.BirthDate); {
	case strings.TrimSpace(c.BirthDate) == "":
		errs = append(errs, FieldError(ReasonInvalidField, "citizen.birthDate", "required, a date as YYYY-MM-DD"))
	case perr != nil:
		errs = append(errs, FieldError(ReasonInvalidField, "citizen.birthDate", "a date as YYYY-MM-DD"))
	}
	check(&c.Email, func(s string) (string, error) { return NormalizeEmail("citizen.email", s) })
	if c.Phone != "" {
		check(&c.Phone, func(s string) (string, error) { return NormalizePhone("citizen.phone", s) })
	}
	check(&c.Address, text("citizen.address", 0, 500))
	return c, apierr.JoinInvalid(errs...)
}

// SameName compares names as people type them: case, surrounding and repeated spaces do not matter.
func SameName(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return norm(a) == norm(b)
}
