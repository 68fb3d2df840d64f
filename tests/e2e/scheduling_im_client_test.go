package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// TestIMClientWithoutTheRightBooksOnlyForNewPeople is the ORS booking of a portal that signs nobody in (the
// demo client, without the personal-data right), through the gateway (issue 11 §4): it finds a slot — a slot
// is listed when it starts in [from, to) — and books for a person new to Scheduling, getting that appointment
// and its booking code back while the person gets the confirmation. It cannot book again in that person's
// name, nor read subscribers or schedule messages to people; the hospital's back office, granted the right,
// can.
func TestIMClientWithoutTheRightBooksOnlyForNewPeople(t *testing.T) {
	s := startStackWith(t, func(c *devstack.Config) { c.AdminClients = imAdmin })
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	clinic, doctor := nightClinic(t, s, suffix)
	slots := freeSlots(t, s, clinic)

	// A slot starting just before to is listed, though it ends after it.
	first, err := time.Parse(time.RFC3339, slots[0])
	if err != nil {
		t.Fatal(err)
	}
	r := s.do(t, "GET", "/resource/free_slots?resource_id="+doctor+"&from="+slots[0]+"&to="+first.Add(time.Minute).Format(time.RFC3339), "", nil)
	expect(t, r, 200)
	if got := r.json(t).(map[string]any)["slots"].([]any); len(got) != 1 || got[0].(map[string]any)["start_time"] != slots[0] {
		t.Errorf("slots starting in [%s, +1 min): %s", slots[0], r.body)
	}

	walkIn := "walk-in-" + suffix
	book := func(start string, headers map[string]string) response {
		return s.do(t, "POST", "/appointment/book", `{"resource_id":"`+doctor+`","start_time":"`+start+`",
			"subscriber":{"subscriber_id":"`+walkIn+`","name":"Tiit Walk-In","email":"`+walkIn+`@example.org"}}`, headers)
	}
	r = book(slots[0], nil)
	expect(t, r, 200, `"booking_code"`)
	code := r.json(t).(map[string]any)["appointment"].(map[string]any)["booking_code"].(string)
	got := s.mail.waitFor(t, 1, to(walkIn+"@example.org", "Appointment confirmed"))
	if body := got[0].Body; !strings.Contains(body, code) || !strings.Contains(body, "(Europe/Tallinn)") {
		t.Errorf("confirmation:\n%s", body)
	}
	s.mail.waitFor(t, 1, to("desk-"+suffix+"@night-clinic.example.org", "New appointment"))

	// The person is known now: the portal may neither book in their name again nor read their record.
	expect(t, book(slots[1], nil), 401, "SIGN_IN_REQUIRED", "already known here")
	expect(t, s.do(t, "GET", "/subscriber/list_details?subscriber_id="+walkIn, "", nil), 401, "SIGN_IN_REQUIRED")
	expect(t, s.do(t, "POST", "/alert_schedule/new", `{"alert_datetime":"`+slots[2]+`","recipients":[{"email":"`+walkIn+
		`@example.org"}]}`, nil), 401, "SIGN_IN_REQUIRED")

	// The hospital's back office, with the right, books the person's follow-up.
	grantPersonalData(t, s, hospital)
	expect(t, book(slots[1], map[string]string{"Information-Mediator-Client": hospital}), 200, `"booking_code"`)
	s.mail.waitFor(t, 2, to(walkIn+"@example.org", "Appointment confirmed"))
}
