package site

import (
	"github.com/govstackbb/marketplace/web/internal/session"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The citizen journey against the fake gateway: booking needs a signed-in citizen, the confirmation shows
// the booking code in the hospital's time, and the appointment can be moved and cancelled; each change
// carries the person's token and an Idempotency-Key.
func TestBookRescheduleCancel(t *testing.T) {
	p := newPortal(t)
	choose := "/book?" + url.Values{"hospital": {"hosp-north-tallinn"}, "doctor": {"doc-kask"}, "start": {"2026-12-08T07:20:00Z"}}.Encode()
	p.get(choose).redirect(t, "/sign-in?next="+url.QueryEscape(choose))
	p.get("/sign-in?next=" + url.QueryEscape(choose))
	p.post("/sign-in", url.Values{"email": {"mari.tamm@example.org"}, "password": {"x"}, "next": {choose}}).redirect(t, choose)
	p.get(choose).want(t, http.StatusOK, "Check and confirm your appointment", "Dr. Anna Kask", "Tuesday 8 December 2026",
		"09:20 (Europe/Tallinn)")
	p.get("/book?hospital=hosp-north-tallinn&doctor=doc-kask").redirect(t, "/doctors/slots?doctor=doc-kask&hospital=hosp-north-tallinn&error=start")
	a := p.post("/book", url.Values{"hospital": {"hosp-north-tallinn"}, "doctor": {"doc-kask"}, "start": {"2026-12-08T07:20:00Z"},
		"reason": {"chest pain"}, "key": {"k-0123456789abcdef"}})
	a.redirect(t, "/appointments/appt-1")
	book := p.gw.calls("POST /appointment/book")[0]
	if book.Authorization != "Bearer access-1" || book.IdempotencyKey != "k-0123456789abcdef" ||
		book.Body["start_time"] != "2026-12-08T07:20:00Z" || book.Body["resource_id"] != "doc-kask" {
		t.Errorf("book call %+v", book)
	}
	p.get("/appointments/appt-1").want(t, http.StatusOK, "Appointment booked", "K7Q2-appt-1", "09:20 (Europe/Tallinn)", "chest pain")
	p.get("/appointments/appt-1").want(t, http.StatusOK, "Your appointment") // the panel only once
	p.get("/appointments").want(t, http.StatusOK, "Tuesday 8 December 2026, 09:20", "Booked")

	p.get("/appointments/appt-1/reschedule").want(t, http.StatusOK, "Choose a new time", `method="post"`)
	p.post("/appointments/appt-1/reschedule", url.Values{}).want(t, http.StatusUnprocessableEntity, "Select a time")
	p.post("/appointments/appt-1/reschedule", url.Values{"start": {"2026-12-09T07:40:00Z"}, "key": {"r-0123456789abcdef"}}).
		redirect(t, "/appointments/appt-1")
	p.get("/appointments/appt-1").want(t, http.StatusOK, "Your appointment has been moved", "Wednesday 9 December 2026", "09:40")

	p.get("/appointments/appt-1/cancel").want(t, http.StatusOK, "Are you sure")
	p.post("/appointments/appt-1/cancel", url.Values{"key": {"c-0123456789abcdef"}}).redirect(t, "/appointments/appt-1")
	page := p.get("/appointments/appt-1").want(t, http.StatusOK, "Your appointment has been cancelled", "Cancelled")
	if strings.Contains(page.body, "/cancel") {
		t.Error("a cancelled appointment still offers to cancel")
	}
	p.get("/appointments/appt-1/cancel").redirect(t, "/appointments/appt-1")
	for route, key := range map[string]string{"POST /appointment/reschedule": "r-0123456789abcdef", "POST /appointment/cancel": "c-0123456789abcdef"} {
		if c := p.gw.calls(route); len(c) != 1 || c[0].IdempotencyKey != key || c[0].Authorization != "Bearer access-1" {
			t.Errorf("%s: %+v", route, c)
		}
	}
	p.get("/appointments/appt-999").want(t, http.StatusNotFound)
}

// A time someone else took meanwhile sends the citizen back to the times with the reason.
func TestBookingATakenSlot(t *testing.T) {
	p := newPortal(t)
	p.signIn()
	p.get("/book?hospital=hosp-north-tallinn&doctor=doc-kask&start=2026-12-08T07:20:00Z")
	p.gw.fail("POST /appointment/book", fakeError{status: 409, code: "ALREADY_EXISTS", reason: "SLOT_ALREADY_BOOKED"})
	a := p.post("/book", url.Values{"hospital": {"hosp-north-tallinn"}, "doctor": {"doc-kask"}, "start": {"2026-12-08T07:20:00Z"}})
	if a.status != http.StatusSeeOther || !strings.Contains(a.location, "error=taken") {
		t.Fatalf("answer %d %s", a.status, a.location)
	}
	p.get(a.location).want(t, http.StatusUnprocessableEntity, "That time is no longer free")
}

// A buyer is not a citizen: the booking pages say so instead of sending them to sign in again.
func TestBookingNeedsACitizen(t *testing.T) {
	p := newPortal(t)
	p.signIn()
	p.site.sessions.Get(mustSessionID(t, p))
	s, _ := p.store.Get(mustSessionID(t, p))
	s.Update(func(d *session.Data) { d.Account.Roles = []string{"buyer"} })
	p.get("/appointments").want(t, http.StatusForbidden, "Your account cannot use this page")
}

// Lists page: more than ten appointments are split over pages with GOV.UK pagination.
func TestAppointmentsArePaged(t *testing.T) {
	p := newPortal(t)
	p.signIn()
	for i := range 12 {
		p.gw.book(map[string]any{"resource_id": "doc-kask", "start_time": "2026-12-1" + string(rune('0'+i%10)) + "T07:00:00Z"})
	}
	first := p.get("/appointments").want(t, http.StatusOK, "govuk-pagination", `href="/appointments?page=2"`)
	if n := strings.Count(first.body, `<tr class="govuk-table__row">`); n != 11 { // the header and ten
		t.Errorf("the first page has %d rows", n)
	}
	second := p.get("/appointments?page=2").want(t, http.StatusOK, `aria-current="page">2<`)
	if n := strings.Count(second.body, `<tr class="govuk-table__row">`); n != 3 {
		t.Errorf("the second page has %d rows", n)
	}
	p.get("/appointments?page=99").want(t, http.StatusOK, `aria-current="page">2<`)
}

// The citizen's list filters by department when their appointments are in more than one; the pages keep
// the filter.
func TestAppointmentsFilterByDepartment(t *testing.T) {
	p := newPortal(t)
	p.signIn()
	p.gw.book(map[string]any{"resource_id": "doc-kask", "start_time": "2026-12-10T07:00:00Z"})
	if strings.Contains(p.get("/appointments").body, `name="department"`) {
		t.Error("a filter for appointments in one department")
	}
	for i := range 11 {
		p.gw.book(map[string]any{"resource_id": "doc-saar", "start_time": "2026-12-1" + string(rune('0'+i%10)) + "T08:00:00Z"})
	}
	p.get("/appointments").want(t, http.StatusOK, `name="department"`, `<option value="cardiology">`, `<option value="neurology">`)
	cardiology := p.get("/appointments?department=cardiology").want(t, http.StatusOK, "Dr. Anna Kask", `value="cardiology" selected`)
	if strings.Contains(cardiology.body, "Dr. Peeter Saar") {
		t.Error("the cardiology list shows a neurology appointment")
	}
	p.get("/appointments?department=neurology").want(t, http.StatusOK, `href="/appointments?department=neurology&amp;page=2"`)
}
