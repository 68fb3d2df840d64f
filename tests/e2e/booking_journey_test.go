package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// imAdmin is the IM administrator the journey tests name (GOVSTACK_GATEWAY_ADMIN_CLIENTS); in development
// mode its header alone is trusted.
const imAdmin = "GOVSTACK/GOV/ADMIN/console"

// hospital is the hospital's back-office system, an IM client of its own.
const hospital = "GOVSTACK/GOV/90000009/hospital-desk"

// grantPersonalData lets client act on any person's data at the Scheduling service, as an operator does
// for a hospital's back office (docs/im-operator-guide.md, "The personal-data right").
func grantPersonalData(t *testing.T, s *stack, client string) {
	t.Helper()
	admin := map[string]string{"Information-Mediator-Client": imAdmin}
	expect(t, s.do(t, "PUT", "/api/v1/clients/"+strings.ReplaceAll(client, "/", ":"), `{"memberName":"Night Clinic"}`, admin), 200)
	parts := strings.Split(client, "/")
	body := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"scheduling","serviceId":"scheduling",
	  "rights":[{"memberClass":"` + parts[1] + `","memberCode":"` + parts[2] + `","applicationId":"` + parts[3] + `",
	  "endpoints":["personal-data"]}]}]`
	expect(t, s.do(t, "PATCH", "/api/v1/rights/allow", body, admin), 200, "allowed")
}

// nightClinic sets up a cardiology clinic in Tallinn open around the clock with 30-minute slots, through
// GovStack's Scheduler CRUD, and returns its entity and doctor ids.
func nightClinic(t *testing.T, s *stack, suffix string) (clinic, doctor string) {
	t.Helper()
	clinic, doctor = "clinic-"+suffix, "doc-"+suffix
	expect(t, s.do(t, "POST", "/entity/new", `{"entity_id":"`+clinic+`","name":"Night Clinic","city":"Tallinn",
		"time_zone":"Europe/Tallinn","email":"desk-`+suffix+`@night-clinic.example.org"}`, nil), 200)
	expect(t, s.do(t, "POST", "/resource/new", `{"resource_id":"`+doctor+`","name":"Dr. Öö","category":"doctor",
		"specialty":"cardiology","email":"oo@night-clinic.example.org","slot_minutes":30}`, nil), 200)
	var hours []string
	for d := range 7 {
		hours = append(hours, fmt.Sprintf(`{"weekday":%d,"start":"00:00","end":"24:00"}`, d))
	}
	expect(t, s.do(t, "POST", "/affiliation/new", `{"resource_id":"`+doctor+`","entity_id":"`+clinic+`",
		"resource_category":"doctor","work_days_hours":[`+strings.Join(hours, ",")+`]}`, nil), 200)
	return clinic, doctor
}

// freeSlots returns the start times of the clinic's free slots in the next hours.
func freeSlots(t *testing.T, s *stack, clinic string) []string {
	t.Helper()
	from := time.Now().UTC()
	r := s.do(t, "GET", "/resource/free_slots?entity_id="+clinic+"&specialty=cardiology&from="+
		from.Format(time.RFC3339)+"&to="+from.Add(4*time.Hour).Format(time.RFC3339), "", nil)
	expect(t, r, 200)
	var out []string
	for _, sl := range r.json(t).(map[string]any)["slots"].([]any) {
		out = append(out, sl.(map[string]any)["start_time"].(string))
	}
	if len(out) < 3 {
		t.Fatalf("only %d free slots: %s", len(out), r.body)
	}
	return out
}

// TestSignedInCitizenBooksMovesAndChecksIn is the ORS journey as a person walks it (issue 11 §4): a citizen
// registers and signs in, books with their token (recorded with their account's national id), is e-mailed a
// confirmation in the hospital's own time with the booking code, moves the appointment (the hospital is told
// too), and checks in at the hospital's desk with their own national id. The desk is an IM client with the
// personal-data right; the demo client without it cannot act on the appointment.
func TestSignedInCitizenBooksMovesAndChecksIn(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	s := startStackWith(t, func(c *devstack.Config) { c.AdminClients = imAdmin })
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	email := "mari.tamm." + suffix + "@example.org"
	expect(t, s.do(t, "POST", "/accounts/citizens", `{"citizen":{"nationalId":"EE37801010001","firstName":"Mari",
		"lastName":"Tamm","birthDate":"1978-01-01","email":"`+email+`"}}`, nil), 200)
	token := activationToken(t, s, email, 1)
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"a long and quiet evening walk"}`, nil), 200)
	access := signIn(t, s, email, "a long and quiet evening walk")
	me := s.do(t, "GET", "/accounts/me", "", bearer(access))
	expect(t, me, 200)
	accountID := me.json(t).(map[string]any)["id"].(string)

	clinic, doctor := nightClinic(t, s, suffix)
	desk := "desk-" + suffix + "@night-clinic.example.org"
	slots := freeSlots(t, s, clinic)
	r := s.do(t, "POST", "/appointment/book", `{"resource_id":"`+doctor+`","start_time":"`+slots[0]+`","reason":"check-up"}`, bearer(access))
	expect(t, r, 200, `"status":"booked"`)
	appt := r.json(t).(map[string]any)["appointment"].(map[string]any)
	id, code := appt["appointment_id"].(string), appt["booking_code"].(string)

	// The confirmation shows the hospital's local time with the zone's name, the booking code and when
	// check-in opens.
	got := s.mail.waitFor(t, 1, to(email, "Appointment confirmed"))
	if body := got[0].Body; !strings.Contains(body, "(Europe/Tallinn)") || !strings.Contains(body, code) ||
		!strings.Contains(body, "Check-in is open from ") || strings.Contains(body, "T"+slots[0][11:16]) {
		t.Errorf("confirmation:\n%s\n%s", got[0].Subject, body)
	}
	if !strings.Contains(got[0].Subject, "(Europe/Tallinn)") {
		t.Errorf("subject %q lacks the local time", got[0].Subject)
	}

	// The citizen moves it to the next slot; citizen and hospital are told.
	expect(t, s.do(t, "POST", "/appointment/reschedule", `{"appointment_id":"`+id+`","start_time":"`+slots[1]+`"}`, bearer(access)), 200)
	s.mail.waitFor(t, 1, to(email, "Appointment moved to"))
	s.mail.waitFor(t, 1, to(desk, "Appointment moved"))

	// The demo client (no personal-data right, no token) cannot check anyone in; the hospital's desk can,
	// with the citizen's own national id, which the booking recorded from their account.
	checkIn := `{"appointment_id":"` + id + `","subscriber_id":"` + accountID + `","national_id":"EE37801010001"}`
	expect(t, s.do(t, "POST", "/appointment/check_in", checkIn, nil), 401, "SIGN_IN_REQUIRED")
	expect(t, s.do(t, "GET", "/appointment/list_details?resource_id="+doctor, "", nil), 401, "SIGN_IN_REQUIRED")
	grantPersonalData(t, s, hospital)
	deskClient := map[string]string{"Information-Mediator-Client": hospital}
	// slots[1] starts within the hour, so check-in (from 2 h before) is open.
	expect(t, s.do(t, "POST", "/appointment/check_in", checkIn, deskClient), 200, `"status":"checkedIn"`)

	// A second appointment more than two hours away: check-in is not open yet, and the desk is told when it
	// is, in Tallinn's time. The citizen cancels it: the hospital is told.
	r = s.do(t, "POST", "/appointment/book", `{"resource_id":"`+doctor+`","start_time":"`+slots[len(slots)-1]+`"}`, bearer(access))
	expect(t, r, 200)
	second := r.json(t).(map[string]any)["appointment"].(map[string]any)["appointment_id"].(string)
	expect(t, s.do(t, "POST", "/appointment/check_in", `{"appointment_id":"`+second+`","subscriber_id":"`+accountID+
		`","national_id":"EE37801010001"}`, deskClient), 400, "CHECK_IN_CLOSED", "check-in for this appointment is open from ", "(Europe/Tallinn)")
	expect(t, s.do(t, "POST", "/appointment/cancel", `{"appointment_id":"`+second+`","reason":"feeling better"}`, bearer(access)), 200)
	s.mail.waitFor(t, 1, to(desk, "Appointment cancelled"))
}
