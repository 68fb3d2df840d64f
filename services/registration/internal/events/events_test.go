package events

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/govstackbb/marketplace/platform/outbox"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// The published contract: each domain event's type, subject and payload JSON (as the outbox writes it,
// protojson) — what Messaging's rules and any other subscriber read.
func TestEncode(t *testing.T) {
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	acc := domain.Account{ID: "a1", Email: "ann@moj.gov.example", Name: "Ann", Organisation: "MoJ", Roles: []string{"buyer"}}
	link := domain.Link{Purpose: domain.PurposeActivate, URL: "https://p/activate?token=x", ExpiresAt: at.Add(time.Hour)}
	file := domain.Application{FileID: "f1", ServiceID: "s1", ServiceName: "Buyer account", ApplicantID: "a1", Status: "APPROVED"}
	req := domain.DomainAccessRequest{Email: "ann@new.example", Name: "Ann", Organisation: "New", Reason: "r", Domain: "new.example"}
	accountJSON := func(extra map[string]any) map[string]any {
		m := map[string]any{"accountId": "a1", "email": "ann@moj.gov.example", "name": "Ann", "roles": []any{"buyer"},
			"organisation": "MoJ", "language": "en", "occurredAt": "2025-03-01T09:00:00Z"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	withLink := map[string]any{"link": "https://p/activate?token=x", "linkExpiresAt": "2025-03-01T10:00:00Z"}
	tests := []struct {
		event   domain.Event
		typ     string
		subject string
		payload map[string]any
	}{
		{domain.AccountRegistered{Account: acc, Link: link, At: at}, "govstack.registration.v1.account.registered", "a1", accountJSON(withLink)},
		{domain.AccountRegistrationRepeated{Account: acc, Link: link, At: at}, "govstack.registration.v1.account.registration_attempted", "a1", accountJSON(withLink)},
		{domain.AccountActivated{Account: acc, At: at}, "govstack.registration.v1.account.activated", "a1", accountJSON(nil)},
		{domain.AccountLocked{Account: acc, At: at}, "govstack.registration.v1.account.locked", "a1", accountJSON(nil)},
		{domain.PasswordResetRequested{Account: acc, Link: link, At: at}, "govstack.registration.v1.account.password_reset_requested", "a1", accountJSON(withLink)},
		{domain.ApplicationSubmitted{File: file, At: at}, "govstack.registration.v1.application.submitted", "f1",
			map[string]any{"fileId": "f1", "serviceId": "s1", "serviceName": "Buyer account", "applicantId": "a1", "status": "APPROVED",
				"occurredAt": "2025-03-01T09:00:00Z"}},
		{domain.ApplicationDecided{File: file, Comment: "ok", OperatorID: "op", At: at}, "govstack.registration.v1.application.decided", "f1",
			map[string]any{"fileId": "f1", "serviceId": "s1", "serviceName": "Buyer account", "applicantId": "a1", "status": "APPROVED",
				"comment": "ok", "operatorId": "op", "occurredAt": "2025-03-01T09:00:00Z"}},
		{domain.DomainAccessRequested{FileID: "f2", Request: req, AdministratorEmails: []string{"admin@gov.example"}, At: at},
			"govstack.registration.v1.domain_access.requested", "f2",
			map[string]any{"fileId": "f2", "email": "ann@new.example", "name": "Ann", "domain": "new.example", "organisation": "New",
				"reason": "r", "administratorEmails": []any{"admin@gov.example"}, "occurredAt": "2025-03-01T09:00:00Z"}},
		{domain.DomainAccessDecided{FileID: "f2", Request: req, Approved: true, Comment: "welcome", RegistrationLink: "https://p/register/buyer", At: at},
			"govstack.registration.v1.domain_access.decided", "f2",
			map[string]any{"fileId": "f2", "email": "ann@new.example", "name": "Ann", "domain": "new.example", "organisation": "New",
				"reason": "r", "approved": true, "comment": "welcome", "registrationLink": "https://p/register/buyer",
				"occurredAt": "2025-03-01T09:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			one, err := Encode(tt.event)
			out := []outbox.Event{one}
			if err != nil {
				t.Fatal(err)
			}
			e := out[0]
			if e.Type != tt.typ || e.Source != "govstack/registration" || e.Subject != tt.subject {
				t.Errorf("type %s, source %s, subject %s", e.Type, e.Source, e.Subject)
			}
			b, err := protojson.Marshal(e.Payload)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.payload) {
				t.Errorf("payload\n got %v\nwant %v", got, tt.payload)
			}
		})
	}
}
