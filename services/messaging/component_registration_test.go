package messaging_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// TestRegistrationEventsTriggerNotifications publishes Registration events, encoded as the Registration BB
// encodes them (protojson of its event messages), on stream GOVSTACK_REGISTRATION and checks the shipped rules
// (migration 0003): account.registered sends exactly one activation e-mail carrying the link and its expiry;
// a domain-access decision sends the approval (with the registration link) or, for a rejection — whose payload
// has no "approved" field at all — the refusal with the comment; an account without a name is still mailed.
func TestRegistrationEventsTriggerNotifications(t *testing.T) {
	t.Parallel()
	e := startWithStream(t, "registration")
	publish := func(subject, id string, payload proto.Message) {
		t.Helper()
		data, err := protojson.Marshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		publishRaw(t, e, subject, id, data)
	}
	expires := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	link := "https://portal.example.org/accounts/activate?token=tok-123"
	publish(registrationv1.EventAccountRegistered, "reg-1", &registrationv1.AccountEvent{AccountId: "a1",
		Email: "jane.doe@moj.gov.example", Name: "Jane Doe", Roles: []string{"buyer"}, Link: link,
		LinkExpiresAt: timestamppb.New(expires)})
	publish(registrationv1.EventDomainAccessDecided, "dom-1", &registrationv1.DomainAccessEvent{FileId: "f1",
		Email: "sam@city.example", Name: "Sam", Domain: "city.example", Approved: true,
		RegistrationLink: "https://portal.example.org/accounts/register/buyer"})
	publish(registrationv1.EventDomainAccessDecided, "dom-2", &registrationv1.DomainAccessEvent{FileId: "f2",
		Email: "kim@shop.example", Domain: "shop.example", Comment: "not a public body"})
	publish(registrationv1.EventAccountActivated, "act-1", &registrationv1.AccountEvent{AccountId: "a2", Email: "noname@moj.gov.example"})

	want := map[string]string{
		"jane.doe@moj.gov.example": "Activate your account",
		"sam@city.example":         "Your organisation's domain was approved",
		"kim@shop.example":         "Your domain access request was not approved",
		"noname@moj.gov.example":   "Your account is active",
	}
	testkit.Eventually(t, 15*time.Second, "registration e-mails", func() error {
		for rcpt, subject := range want {
			if n, got := e.sink.received(rcpt); n != 1 || got != subject {
				return fmt.Errorf("%s got %d, last subject %q; want 1 %q", rcpt, n, got, subject)
			}
		}
		return nil
	})
	body := func(rcpt string) string {
		var text string
		var n int
		if err := e.pool.QueryRow(t.Context(), `SELECT count(*), max(body_text) FROM message WHERE recipient = $1`, rcpt).
			Scan(&n, &text); err != nil || n != 1 {
			t.Fatalf("%s: %d messages, %v", rcpt, n, err)
		}
		return text
	}
	for rcpt, parts := range map[string][]string{
		"jane.doe@moj.gov.example": {"Dear Jane Doe,", link, "2026-12-03T10:00:00Z"},
		"sam@city.example":         {"city.example", "https://portal.example.org/accounts/register/buyer"},
		"kim@shop.example":         {"Hello,", "shop.example", "not a public body"},
		"noname@moj.gov.example":   {"Hello,", "noname@moj.gov.example"},
	} {
		text := body(rcpt)
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Errorf("%s: body lacks %q:\n%s", rcpt, p, text)
			}
		}
	}
}
