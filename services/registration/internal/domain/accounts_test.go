package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Anna@MOJ.Gov.Example", "Anna@moj.gov.example", true},
		{"  a.b+c@x.gov.uk ", "a.b+c@x.gov.uk", true},
		{"", "", false},
		{"no-at.example", "", false},
		{"a@b@c.example", "", false},
		{"a@localhost", "", false},
		{"Anna <a@b.example>", "", false},
		{"a@-bad.example", "", false},
		{"a@exa_mple.com", "", false},
		{strings.Repeat("a", 250) + "@b.co", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeEmail("email", tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestDomainCandidates(t *testing.T) {
	if got := DomainCandidates("a.justice.gov.uk"); !slices.Equal(got, []string{"a.justice.gov.uk", "justice.gov.uk", "gov.uk"}) {
		t.Errorf("got %v", got)
	}
	if got := DomainCandidates("gmail.com"); !slices.Equal(got, []string{"gmail.com"}) {
		t.Errorf("got %v", got)
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+44 7700 900123", "+447700900123"},
		{"0044 (7700) 900-123", "+447700900123"},
		{"+372 5555 1234", "+37255551234"},
		{"7700900123", ""},
		{"+1234567", ""},
		{"+1234567890123456", ""},
		{"+44 77x0", ""},
		{"+0123456789", ""},
	}
	for _, tt := range tests {
		got, err := NormalizePhone("phone", tt.in)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestNormalizeCompanyID(t *testing.T) {
	tests := []struct{ in, id, scheme string }{
		{"123-456-789", "123456789", SchemeDUNS},
		{"12 345 6789", "123456789", SchemeDUNS},
		{"09876543", "09876543", SchemeCompaniesHouse},
		{"sc123456", "SC123456", SchemeCompaniesHouse},
		{"1234567", "", ""},
		{"ABC12345", "", ""},
		{"1234567890", "", ""},
	}
	for _, tt := range tests {
		id, scheme, err := NormalizeCompanyID("companyId", tt.in)
		if id != tt.id || scheme != tt.scheme || (err == nil) != (tt.id != "") {
			t.Errorf("NormalizeCompanyID(%q) = %q %q %v", tt.in, id, scheme, err)
		}
	}
}

func TestPasswordProblems(t *testing.T) {
	tests := []struct {
		pw, email string
		want      []string // the rules broken, in order
	}{
		{"plum-tractor-violin-42", "anna-kask@moj.gov.example", nil},
		{"short", "anna-kask@moj.gov.example", []string{PasswordTooShort}},
		{"password1234", "anna-kask@moj.gov.example", []string{PasswordTooCommon}},
		{"anna-kask-is-great", "anna-kask@moj.gov.example", []string{PasswordContainsEmail}},
		{strings.Repeat("x", 129), "anna-kask@moj.gov.example", []string{PasswordTooLong}},
		{"anna", "anna@moj.gov.example", []string{PasswordTooShort, PasswordContainsEmail}},
	}
	for _, tt := range tests {
		var rules []string
		for _, v := range PasswordProblems(tt.pw, tt.email) {
			if v.Field != "password" || v.Description == "" {
				t.Errorf("violation %+v", v)
			}
			rules = append(rules, v.Reason)
		}
		if strings.Join(rules, ",") != strings.Join(tt.want, ",") {
			t.Errorf("PasswordProblems(%q) broke %v, want %v", tt.pw, rules, tt.want)
		}
	}
	if CheckPassword("plum-tractor-violin-42", "a@b.example") != nil || CheckPassword("x", "a@b.example") == nil {
		t.Error("CheckPassword")
	}
}

func TestParseStaffCSV(t *testing.T) {
	rows, err := ParseStaffCSV("\ufeffname,email,staffId,specialty,departmentId\nDr A,a@x.example,S1,cardio,d1\n")
	if err != nil || len(rows) != 1 || rows[0].StaffID != "S1" || rows[0].Email != "a@x.example" {
		t.Fatalf("rows %v, %v", rows, err)
	}
	for _, bad := range []string{"", "name,email\nx,y\n", "staffId,name,email,specialty,departmentId,extra\n",
		"staffId,staffId,name,email,specialty\n", "staffId,name,email,specialty,departmentId\n\"unterminated\n"} {
		if _, err := ParseStaffCSV(bad); err == nil {
			t.Errorf("ParseStaffCSV(%q) accepted", bad)
		}
	}
	big := "staffId,name,email,specialty,departmentId\n" + strings.Repeat("S,n,e,s,d\n", MaxStaffRows+1)
	if _, err := ParseStaffCSV(big); err == nil {
		t.Error("too many rows accepted")
	}
}

func TestValidateCitizen(t *testing.T) {
	c := Citizen{NationalID: "EE1", FirstName: " Mari ", LastName: "Tamm", BirthDate: "1978-01-01", Email: "m@x.example"}
	got, err := ValidateCitizen(c)
	if err != nil || got.FirstName != "Mari" {
		t.Fatalf("%v, %v", got, err)
	}
	c.BirthDate = "01.01.1978"
	if _, err := ValidateCitizen(c); err == nil {
		t.Error("bad date accepted")
	}
	if !SameName("mari  TAMM", " Mari Tamm") || SameName("Mari", "Maria") {
		t.Error("SameName")
	}
}

func TestSecretsAndMask(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) != 43 || len(HashSecret(a)) != 32 {
		t.Errorf("secrets %q %q", a, b)
	}
	if MaskEmail("anna@moj.gov.example") != "a***@moj.gov.example" || MaskEmail("x") != "***" {
		t.Error("MaskEmail")
	}
}
