package domain

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestNewDomainAccessRequest(t *testing.T) {
	tests := []struct {
		name                          string
		email, who, org, reason       string
		wantReason, domain, wantField string
	}{
		{"good", "Ann@NewAgency.example", " Ann ", "Agency", "We buy things", "", "newagency.example", ""},
		{"bad e-mail", "ann", "Ann", "Agency", "r", ReasonInvalidEmail, "", "email"},
		{"missing fields, all told", "ann@newagency.example", "", "", "r", ReasonInvalidField, "", "name"},
		{"webmail", "ann@gmail.com", "Ann", "Agency", "r", ReasonWebmailDomain, "", "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewDomainAccessRequest(tt.email, tt.who, tt.org, tt.reason, ShippedWebmail())
			if tt.wantReason == "" {
				if err != nil {
					t.Fatal(err)
				}
				if r.Domain != tt.domain || r.Name != "Ann" || r.Email != "Ann@newagency.example" {
					t.Errorf("request %+v", r)
				}
				return
			}
			e, ok := apierr.As(err)
			if !ok || e.Reason != tt.wantReason || len(e.Violations) == 0 || e.Violations[0].Field != tt.wantField {
				t.Fatalf("err = %v, want %s on %s", err, tt.wantReason, tt.wantField)
			}
			if tt.name == "missing fields, all told" && len(e.Violations) != 2 {
				t.Errorf("violations %v, want name and organisation", e.Violations)
			}
		})
	}
}

func TestDomainAccessDecide(t *testing.T) {
	r := DomainAccessRequest{Email: "ann@newagency.example", Domain: "newagency.example"}
	tests := []struct {
		status       string
		approved, ok bool
		link         string
	}{
		{StatusApproved, true, true, "https://p/register/buyer"},
		{StatusRejected, false, true, ""},
		{StatusSendBack, false, true, ""},
		{StatusPending, false, false, ""},
	}
	for _, tt := range tests {
		ev, err := r.Decide("f1", tt.status, "c", "https://p/register/buyer", t0)
		if (err == nil) != tt.ok {
			t.Fatalf("%s: err = %v", tt.status, err)
		}
		if tt.ok && (ev.Approved != tt.approved || ev.RegistrationLink != tt.link || ev.FileID != "f1" || ev.Comment != "c") {
			t.Errorf("%s: event %+v", tt.status, ev)
		}
	}
}

// A request survives the round trip through its file's form data; an older file without the domain
// gets it from the e-mail.
func TestDomainAccessData(t *testing.T) {
	r := DomainAccessRequest{Email: "ann@newagency.example", Name: "Ann", Organisation: "Agency", Reason: "r", Domain: "newagency.example"}
	if got := DomainAccessFromData(r.Data()); got != r {
		t.Errorf("round trip: %+v", got)
	}
	if got := DomainAccessFromData(map[string]any{"email": "Ann@Sub.Agency.example"}); got.Domain != "sub.agency.example" {
		t.Errorf("domain from e-mail: %q", got.Domain)
	}
}

func TestKeyDue(t *testing.T) {
	k := SigningKey{Created: t0}
	tests := []struct {
		name              string
		found, onlyIfNone bool
		age               int // hours
		want              bool
	}{
		{"none", false, false, 0, true},
		{"none, only if none", false, true, 0, true},
		{"young", true, false, 23, false},
		{"old", true, false, 24, true},
		{"old, only if none", true, true, 48, false},
	}
	for _, tt := range tests {
		if got := KeyDue(k, tt.found, t0.Add(time.Duration(tt.age)*time.Hour), 24*time.Hour, tt.onlyIfNone); got != tt.want {
			t.Errorf("%s: KeyDue = %v", tt.name, got)
		}
	}
}
