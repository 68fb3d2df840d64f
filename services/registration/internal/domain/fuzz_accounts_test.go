package domain

import (
	"strings"
	"testing"
)

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"a@b.example", "A@B.EXAMPLE", "a@@b", "\"a b\"@c.example", "a@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeEmail("email", s)
		if err != nil {
			return
		}
		if strings.Count(got, "@") != 1 || len(got) > MaxEmailLength || EmailDomain(got) != strings.ToLower(EmailDomain(got)) {
			t.Fatalf("accepted %q as %q", s, got)
		}
		if again, err := NormalizeEmail("email", got); err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q → %q, %v", s, got, again, err)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"+44 7700 900123", "0044 1", "+", "++1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePhone("phone", s)
		if err != nil {
			return
		}
		if got[0] != '+' || len(got) < 9 || len(got) > 16 || strings.Trim(got[1:], "0123456789") != "" {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}

func FuzzNormalizeCompanyID(f *testing.F) {
	for _, s := range []string{"123-456-789", "SC123456", "0987654", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, scheme, err := NormalizeCompanyID("companyId", s)
		if err != nil {
			return
		}
		if (scheme == SchemeDUNS && len(id) != 9) || (scheme == SchemeCompaniesHouse && !companiesHouse.MatchString(id)) {
			t.Fatalf("accepted %q as %q %q", s, id, scheme)
		}
	})
}

func FuzzParseStaffCSV(f *testing.F) {
	f.Add("staffId,name,email,specialty,departmentId\nS1,A,a@b.example,c,d\n")
	f.Add("x\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		rows, err := ParseStaffCSV(s)
		if err == nil && len(rows) > MaxStaffRows {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			_, _ = ValidateStaffRow(r)
		}
	})
}
