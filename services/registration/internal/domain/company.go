package domain

import (
	"regexp"
	"strings"
)

// Company id schemes, as the companies registry names them.
const (
	SchemeDUNS           = "DUNS"
	SchemeCompaniesHouse = "CompaniesHouse"
)

var companiesHouse = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)

// NormalizeCompanyID recognises a DUNS number (9 digits; dashes and spaces allowed) or a Companies House
// number (8 digits, or 2 letters and 6 digits) and returns it normalised with its scheme.
func NormalizeCompanyID(field, s string) (id, scheme string, err error) {
	c := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	switch {
	case len(c) == 9 && allDigits(c):
		return c, SchemeDUNS, nil
	case companiesHouse.MatchString(c):
		return c, SchemeCompaniesHouse, nil
	}
	return "", "", FieldError(ReasonInvalidCompanyID, field,
		"a DUNS number (9 digits, e.g. 123456789) or a Companies House number (8 characters, e.g. 09876543 or SC123456)")
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
