package domain

import (
	"strings"
	"time"
)

// Citizen is a citizen's self-registration as given.
type Citizen struct {
	NationalID, FirstName, LastName, BirthDate, Email, Phone, Address string
}

// ValidateCitizen checks the fields and returns them normalised; the error names the first bad field.
func ValidateCitizen(c Citizen) (Citizen, error) {
	var err error
	if c.NationalID, err = CheckText("citizen.nationalId", c.NationalID, 1, 64); err != nil {
		return c, err
	}
	if c.FirstName, err = CheckText("citizen.firstName", c.FirstName, 1, 200); err != nil {
		return c, err
	}
	if c.LastName, err = CheckText("citizen.lastName", c.LastName, 1, 200); err != nil {
		return c, err
	}
	if _, perr := time.Parse(time.DateOnly, c.BirthDate); perr != nil {
		return c, FieldError(ReasonInvalidField, "citizen.birthDate", "a date as YYYY-MM-DD")
	}
	if c.Email, err = NormalizeEmail("citizen.email", c.Email); err != nil {
		return c, err
	}
	if c.Phone != "" {
		if c.Phone, err = NormalizePhone("citizen.phone", c.Phone); err != nil {
			return c, err
		}
	}
	if c.Address, err = CheckText("citizen.address", c.Address, 0, 500); err != nil {
		return c, err
	}
	return c, nil
}

// SameName compares names as people type them: case, surrounding and repeated spaces do not matter.
func SameName(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return norm(a) == norm(b)
}
