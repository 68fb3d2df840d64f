package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// TestCitizenBooksADoctor is the ORS booking use case through the gateway's REST API only: a citizen finds a
// cardiology slot at a hospital in a chosen city, books it and gets a confirmation at a real SMTP server
// (and the hospital a notice); a second citizen racing for the same slot is refused; the reminder fires once;
// cancelling frees the slot for the next citizen.
func TestCitizenBooksADoctor(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s := startStackWith(t, func(c *devstack.Config) { c.AdminClients = imAdmin })
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	clinic, doctor := "clinic-night-"+suffix, "doc-night-"+suffix

	// An out-of-hours cardiology clinic in Tallinn, open every day around the clock, set up through GovStack's
	// Scheduler CRUD as a hospital administrator would: so a slot less than 24 h away always exists and the
	// reminder is due at once.
	expect(t, s.do(t, "POST", "/entity/new", `{"entity_id":"`+clinic+`","name":"Night Clinic","city":"Tallinn",
		"time_zone":"Europe/Tallinn","email":"desk@night-clinic.example.org"}`, nil), 200)
	expect(t, s.do(t, "POST", "/resource/new", `{"resource_id":"`+doctor+`","name":"Dr. Öö","category":"doctor",
		"specialty":"cardiology","email":"oo@night-clinic.example.org","slot_minutes":30}`, nil), 200)
	var hours []string
	for d := range 7 {
		hours = append(hours, fmt.Sprintf(`{"weekday":%d,"start":"00:00","end":"24:00"}`, d))
	}
	expect(t, s.do(t, "POST", "/affiliation/new", `{"resource_id":"`+doctor+`","entity_id":"`+clinic+`",
		"resource_category":"doctor","work_days_hours":[`+strings.Join(hours, ",")+`]}`, nil), 200)

	// The citizen picks a city, then a hospital there with cardiology, then a free slot.
	expect(t, s.do(t, "GET", "/data/cities/1.0?query.name=Tallinn", "", nil), 200, `"id":"city-tallinn"`)
	expect(t, s.do(t, "GET", "/entity/list_details?city=Tallinn", "", nil), 200, `"entity_id":"`+clinic+`"`)
	from := time.Now().UTC().Add(time.Hour).Truncate(time.Hour)
	r := s.do(t, "GET", "/resource/free_slots?entity_id="+clinic+"&specialty=cardiology&from="+
		from.Format(time.RFC3339)+"&to="+from.Add(6*time.Hour).Format(time.RFC3339), "", nil)
	expect(t, r, 200, `"resource_id":"`+doctor+`"`)
	slot := r.json(t).(map[string]any)["slots"].([]any)[0].(map[string]any)
	start := slot["start_time"].(string)

	// Two citizens race for the slot: one is booked, the other gets a clear 409.
	book := func(who string) response {
		return s.do(t, "POST", "/appointment/book", `{"resource_id":"`+doctor+`","start_time":"`+start+`",
			"subscriber":{"subscriber_id":"`+who+`","name":"`+who+`","email":"`+who+`@example.org","national_id":"EE-`+who+`"},
			"reason":"chest pain"}`, nil)
	}
	var wg sync.WaitGroup
	results := map[string]response{}
	var mu sync.Mutex
	for _, who := range []string{"mari-" + suffix, "jaan-" + suffix} {
		wg.Go(func() {
			res := book(who)
			mu.Lock()
			results[who] = res
			mu.Unlock()
		})
	}
	wg.Wait()
	var winner, loser string
	for who, res := range results {
		switch res.code {
		case 200:
			winner = who
		case 409:
			loser = who
			expect(t, res, 409, "slot already booked")
		default:
			t.Fatalf("booking for %s: %d %s", who, res.code, res.body)
		}
	}
	if winner == "" || loser == "" {
		t.Fatalf("want one booking and one 409, got %v", results)
	}
	appointment := results[winner].json(t).(map[string]any)["appointment"].(map[string]any)["appointment_id"].(string)

	// The confirmation reaches the citizen and the notice the clinic, over SMTP; the reminder (the
	// appointment is less than 24 h away) reaches the citizen once.
	s.mail.waitFor(t, 1, to(winner+"@example.org", "Appointment confirmed"))
	s.mail.waitFor(t, 1, to("desk@night-clinic.example.org", "New appointment"))
	s.mail.waitFor(t, 1, to(winner+"@example.org", "Reminder"))
	if got := s.mail.find(to(loser+"@example.org", "")); len(got) != 0 {
		t.Errorf("the refused citizen was mailed: %+v", got)
	}

	// The hospital's desk (an IM client with the personal-data right; the demo client has none) cancels on
	// the citizen's call, which frees the slot at once: the other citizen books it.
	cancel := `{"appointment_id":"` + appointment + `","reason":"feeling better"}`
	expect(t, s.do(t, "POST", "/appointment/cancel", cancel, nil), 401, "SIGN_IN_REQUIRED")
	grantPersonalData(t, s, hospital)
	expect(t, s.do(t, "POST", "/appointment/cancel", cancel, map[string]string{"Information-Mediator-Client": hospital}), 200)
	expect(t, book(loser), 200, `"appointment_id"`)
	s.mail.waitFor(t, 1, to(winner+"@example.org", "Appointment cancelled"))
	s.mail.waitFor(t, 1, to(loser+"@example.org", "Appointment confirmed"))
	if n := len(s.mail.find(to(winner+"@example.org", "Reminder"))); n != 1 {
		t.Errorf("%d reminders for the first appointment, want exactly 1", n)
	}
}
