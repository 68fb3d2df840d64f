package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// api makes one JSON call to the stack's gateway as the portal's IM client, with token when given, and
// decodes a 2xx answer into out (nil: ignore it).
func api(t *testing.T, method, path, token string, body, out any) {
	t.Helper()
	apiWith(t, method, path, token, nil, body, out)
}

// apiWith is api with more headers.
func apiWith(t *testing.T, method, path, token string, headers map[string]string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, env.gateway+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GovStack-Client", "GOVSTACK/GOV/GOVSTACK/portal")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var answer bytes.Buffer
	_, _ = answer.ReadFrom(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, answer.String())
	}
	if out != nil {
		if err := json.Unmarshal(answer.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// adminToken signs govstack dev's administrator in through the API.
func adminToken(t *testing.T) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	api(t, http.MethodPost, "/auth/token", "", map[string]string{"email": devstack.DevAdminEmail, "password": devstack.DevAdminPassword}, &tok)
	return tok.AccessToken
}

// signInAdmin signs govstack dev's administrator in through the sign-in page.
func (b *tab) signInAdmin() {
	b.t.Helper()
	b.open("/sign-in")
	b.fill("f-email", devstack.DevAdminEmail)
	b.fill("f-password", devstack.DevAdminPassword)
	b.submit()
}

// value is the value of the first element matching sel (a form control).
func (b *tab) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: value of %s: %v", b.journey, sel, err)
	}
	return v
}

// citizenSignedIn signs c in, registering them first when the stack does not know them yet (the tests of
// this package share one stack, and the demo population register has two people).
func (b *tab) citizenSignedIn(c citizen) {
	b.t.Helper()
	b.open("/sign-in")
	b.fill("f-email", c.email)
	b.fill("f-password", citizenPassword)
	b.submit()
	if b.text("h1") != "My appointments" {
		b.registerCitizen(c, false)
	}
}

// onCallDoctor adds a doctor working round the clock at North Tallinn Hospital (through the API, with the
// administrator's token): whenever the test runs, the next free time is within check-in's window.
func onCallDoctor(t *testing.T, admin string) {
	t.Helper()
	api(t, http.MethodPost, "/resource/new", admin, map[string]any{"resource_id": "doc-on-call", "name": "Dr. Mart Valve",
		"category": "doctor", "specialty": "emergency", "slot_minutes": 60}, nil)
	var hours []map[string]any
	for day := range 7 {
		hours = append(hours, map[string]any{"weekday": day, "start": "00:00", "end": "24:00"})
	}
	api(t, http.MethodPost, "/affiliation/new", admin, map[string]any{"resource_id": "doc-on-call",
		"entity_id": "hosp-north-tallinn", "resource_category": "doctor", "work_days_hours": hours}, nil)
}

// The hospital staff journey: the administrator registers a nurse (through the API), who activates the
// account from the e-mail; a patient books the on-call doctor; the nurse finds the appointment in the
// day's list (in Tallinn time), is refused a wrong booking code next to the field, checks the patient in
// with the right one and attaches a prescription, which the patient then sees on their appointment's page.
func TestHospitalStaffJourney(t *testing.T) {
	admin := adminToken(t)
	onCallDoctor(t, admin)
	var staff struct{ Registered int }
	api(t, http.MethodPost, "/accounts/staff/bulk", admin, map[string]string{"hospitalId": "hosp-north-tallinn",
		"csv": "staffId,name,email,specialty,departmentId\nN-17,Kati Kask,kati.kask@example.org,emergency,\n"}, &staff)
	if staff.Registered != 1 {
		t.Fatalf("registered %d staff", staff.Registered)
	}

	p := newTab(t, "patient", true)
	p.citizenSignedIn(mari)
	p.findDoctor("Tallinn", "hosp-north-tallinn", "emergency", "doc-on-call", false)
	start, err := time.Parse(time.RFC3339, p.value(`input[name=start]`))
	if err != nil {
		t.Fatal(err)
	}
	tallinn, _ := time.LoadLocation("Europe/Tallinn")
	p.choose(`input[name=start]`)
	p.submit()
	p.submit() // confirm
	p.see(".govuk-panel", "Appointment booked")
	code := p.text("#booking-code")

	s := newTab(t, "hospital staff", true)
	s.activateAndSignIn("kati.kask@example.org", "a quiet night on the ward")
	s.see("h1", "Appointments on")
	s.open("/hospital/today?department=emergency&date=" + start.In(tallinn).Format(time.DateOnly))
	s.see("#day", "Mari Tamm", "Dr. Mart Valve", start.In(tallinn).Format("15:04"))
	s.see("main", "Europe/Tallinn")
	s.shot("hospital-today")
	s.fill("f-code", code) // the code the patient reads out opens their appointment
	s.submit()
	s.see("h1", "Mari Tamm")
	s.fill("f-bookingCode", "WRONG1")
	s.submit()
	s.see("#f-bookingCode-error", "does not match")
	s.shot("hospital-check-in-error")
	s.do(chromedp.SetValue(chromedp.ID("f-bookingCode"), code))
	s.submit()
	s.see(".govuk-notification-banner", "Mari Tamm is checked in")

	pdf := filepath.Join(t.TempDir(), "retsept.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{pdf}))
	s.click(`form[enctype="multipart/form-data"] button[type=submit]`)
	s.see(".govuk-notification-banner", "retsept.pdf has been added")
	s.see("#documents", "Prescription: retsept.pdf", "Kati Kask")
	s.shot("hospital-appointment")
	s.click(`a[hreflang="et"]`)
	s.see("main", "Retseptid ja dokumendid", "Retsept: retsept.pdf")
	s.shot("hospital-appointment-et")

	p.open("/appointments")
	p.see("main table", "Dr. Mart Valve")
	p.open(strings.Replace(s.url(), "/hospital/appointments/", "/appointments/", 1)) // the same appointment
	p.see("main dl", "Checked in", code)
	p.see("#documents", "Prescription: retsept.pdf")
	p.shot("appointment-with-prescription")
	t.Logf("%d + %d pages checked with axe-core", p.pages, s.pages)
}

var buyerLink = regexp.MustCompile(`https?://\S+/register/buyer`)

// The administrator's journey: a buyer whose domain is not approved asks for it; the administrator finds
// the request, must say why to refuse, approves it instead; the buyer is e-mailed the registration link
// and registers with the newly approved domain.
func TestAdministratorDomainRequestJourney(t *testing.T) {
	email := fmt.Sprintf("ann.lepp@terviseamet%d.example", time.Now().UnixNano()%100000)
	buyer := newTab(t, "buyer asking for a domain", true)
	buyer.open("/register/domain-request")
	buyer.fill("f-name", "Ann Lepp")
	buyer.fill("f-organisation", "Health Board")
	buyer.fill("f-email", email)
	buyer.fill("f-reason", "The Health Board buys medical supplies for the state.")
	buyer.submit()
	buyer.see("main", "Check your email")

	a := newTab(t, "administrator", true)
	a.signInAdmin()
	a.see("h1", "Public-sector domain requests")
	a.see("#requests tbody tr:first-child", email, "Waiting for a decision")
	a.shot("admin-domain-requests")
	a.click("#requests tbody tr:first-child a")
	a.see("main dl", "Health Board", "medical supplies")
	a.choose("#f-decision-1") // refuse, without saying why
	a.submit()
	a.see(".govuk-error-summary", "Enter why the request is refused")
	a.shot("admin-domain-request-errors")
	a.choose("#f-decision") // approve
	a.submit()
	a.see(".govuk-notification-banner", "The domain is approved")
	a.see("#requests tbody tr:first-child", "Approved")
	a.click(`a[hreflang="et"]`)
	a.see("h1", "Avaliku sektori domeenitaotlused")
	a.shot("admin-domain-requests-et")

	buyer.open(env.mail.link(t, email, buyerLink))
	buyer.fill("f-name", "Ann Lepp")
	buyer.fill("f-organisation", "Health Board")
	buyer.fill("f-email", email)
	buyer.submit()
	buyer.see("main", "Check your email", email)
	t.Logf("%d + %d pages checked with axe-core", a.pages, buyer.pages)
}
