package domain

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// SupplierDraft is a supplier registration in progress: the company checked against the companies
// registry, then the contact and login details filled in over several calls.
type SupplierDraft struct {
	ID             string // the secret; only its hash is stored
	CompanyID      string
	CompanyScheme  string
	RegisteredName string
	CompanyName    string
	ContactName    string
	ContactEmail   string
	ContactPhone   string
	LoginEmail     string
	ExpiresAt      time.Time
}

// SupplierDraftFields are a draft's editable fields as given; empty ones are left alone.
type SupplierDraftFields struct {
	CompanyName, ContactName, ContactEmail, ContactPhone, LoginEmail string
}

// Apply validates each non-empty field of f and writes it to d; all problems are reported at once (the
// caller drops d then).
func (d *SupplierDraft) Apply(f SupplierDraftFields) error {
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
		return func(s string) (string, error) { return CheckText(field, s, 1, 200) }
	}
	set(&d.CompanyName, f.CompanyName, text("companyName"))
	set(&d.ContactName, f.ContactName, text("contactName"))
	set(&d.ContactEmail, f.ContactEmail, func(s string) (string, error) { return NormalizeEmail("contactEmail", s) })
	set(&d.ContactPhone, f.ContactPhone, func(s string) (string, error) { return NormalizePhone("contactPhone", s) })
	set(&d.LoginEmail, f.LoginEmail, func(s string) (string, error) { return NormalizeEmail("loginEmail", s) })
	if len(v) > 0 {
		return apierr.Invalid(ReasonInvalidField, "some fields are not valid: see details", v...)
	}
	return nil
}

// Missing lists the fields still needed before the draft can be submitted, by JSON name.
func (d SupplierDraft) Missing() []string {
	var out []string
	for _, f := range []struct{ name, v string }{{"companyName", d.CompanyName}, {"contactName", d.ContactName},
		{"contactEmail", d.ContactEmail}, {"contactPhone", d.ContactPhone}, {"loginEmail", d.LoginEmail}} {
		if f.v == "" {
			out = append(out, f.name)
		}
	}
	return out
}
