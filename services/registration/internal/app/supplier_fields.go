package app

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
)

// draftTTL is how long a supplier draft lives.
const draftTTL = 24 * time.Hour

// applyFields validates each non-empty field of f and writes it to d; all problems are reported at once.
func applyFields(d *store.Draft, f SupplierFields) error {
	var v []apierr.FieldViolation
	set := func(dst *string, raw string, check func(string) (string, error)) {
		if raw == "" {
			return
		}
		got, err := check(raw)
		if err != nil {
			if e, ok := apierr.As(err); ok {
				v = append(v, e.Violations...)
			}
			return
		}
		*dst = got
	}
	text := func(field string) func(string) (string, error) {
		return func(s string) (string, error) { return domain.CheckText(field, s, 1, 200) }
	}
	set(&d.CompanyName, f.CompanyName, text("companyName"))
	set(&d.ContactName, f.ContactName, text("contactName"))
	set(&d.ContactEmail, f.ContactEmail, func(s string) (string, error) { return domain.NormalizeEmail("contactEmail", s) })
	set(&d.ContactPhone, f.ContactPhone, func(s string) (string, error) { return domain.NormalizePhone("contactPhone", s) })
	set(&d.LoginEmail, f.LoginEmail, func(s string) (string, error) { return domain.NormalizeEmail("loginEmail", s) })
	if len(v) > 0 {
		return apierr.Invalid(domain.ReasonInvalidField, "some fields are not valid: see details", v...)
	}
	return nil
}

// withMissing lists the fields still needed before submit, by JSON name.
func withMissing(d store.Draft) Draft {
	out := Draft{Draft: d}
	for _, f := range []struct{ name, v string }{{"companyName", d.CompanyName}, {"contactName", d.ContactName},
		{"contactEmail", d.ContactEmail}, {"contactPhone", d.ContactPhone}, {"loginEmail", d.LoginEmail}} {
		if f.v == "" {
			out.Missing = append(out.Missing, f.name)
		}
	}
	return out
}
