package site

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// upload posts a multipart form with a file, and the CSRF token of the last page read.
func (p *portalUnderTest) upload(path string, fields map[string]string, fileName string, content []byte) answer {
	p.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", p.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, p.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := p.client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return answer{status: resp.StatusCode, body: b.String(), location: resp.Header.Get("Location"), header: resp.Header}
}

// signInAs signs a fresh browser in and checks where it lands.
func (p *portalUnderTest) signInAs(landing string) {
	p.t.Helper()
	p.client = p.newClient()
	p.get("/sign-in")
	p.post("/sign-in", url.Values{"email": {"someone@example.org"}, "password": {"a long and quiet evening walk"}}).redirect(p.t, landing)
}

var pdf = []byte("%PDF-1.4\n% a prescription\n%%EOF\n")

// Hospital staff see the day of their hospital in its time zone, check a patient in (a code that does not
// match is said next to its field), attach a prescription, and the patient then finds it on their
// appointment's page.
func TestStaffDayCheckInAndPrescription(t *testing.T) {
	p := newPortal(t)
	p.gw.book(map[string]any{"resource_id": "doc-kask", "start_time": "2026-12-08T07:20:00Z", "reason": "check-up"})
	p.gw.appointments["appt-2"] = map[string]any{"appointment_id": "appt-2", "participant_entity_id": "hosp-exampleville-general",
		"start_time": "2026-12-08T07:20:00Z", "end_time": "2026-12-08T07:40:00Z", "status": "booked"}
	p.gw.becomeStaff()
	p.signInAs("/hospital/today")
	p.get("/hospital/today?date=2026-12-08").want(t, http.StatusOK, "North Tallinn Hospital", "Tuesday 8 December 2026",
		"Europe/Tallinn", "Mari Tamm", ">09:20<", "Dr. Anna Kask", `href="/hospital/appointments/appt-1"`, "Next day")
	p.get("/hospital/today?date=2026-12-08&department=neurology").want(t, http.StatusOK, "There are no appointments on this day.")
	if q := p.gw.calls("GET /appointment/list_details"); !strings.Contains(q[len(q)-1].Query, "participant_entity_id=hosp-north-tallinn") {
		t.Errorf("the day asks for %q", q[len(q)-1].Query)
	}
	p.get("/hospital/appointments/appt-2").want(t, http.StatusNotFound)                                    // another hospital's
	p.get("/hospital/today?date=2026-12-08&code=k7q2+appt-1").redirect(t, "/hospital/appointments/appt-1") // as read out
	p.get("/hospital/today?date=2026-12-08&code=NOPE").want(t, http.StatusUnprocessableEntity,
		"No appointment on this day has that booking code", `value="NOPE"`, `href="#f-code"`)

	p.get("/hospital/appointments/appt-1").want(t, http.StatusOK, "Check the patient in", "There are no documents")
	p.post("/hospital/appointments/appt-1/check-in", url.Values{}).want(t, http.StatusUnprocessableEntity,
		"Enter the booking code or the national identification number")
	p.post("/hospital/appointments/appt-1/check-in", url.Values{"bookingCode": {"WRONG"}}).want(t, http.StatusUnprocessableEntity,
		`id="f-bookingCode-error"`, "The booking code does not match this appointment", `value="WRONG"`)
	p.post("/hospital/appointments/appt-1/check-in", url.Values{"nationalId": {"EE00000000000"}}).want(t, http.StatusUnprocessableEntity,
		`id="f-nationalId-error"`, "The national identification number does not match")
	p.post("/hospital/appointments/appt-1/check-in", url.Values{"nationalId": {"EE37801010001"}, "key": {"ci-0123456789abcdef"}}).
		redirect(t, "/hospital/appointments/appt-1")
	page := p.get("/hospital/appointments/appt-1").want(t, http.StatusOK, "Mari Tamm is checked in.", "Checked in")
	if strings.Contains(page.body, "/check-in") {
		t.Error("a checked-in appointment still offers check-in")
	}
	if c := p.gw.calls("POST /appointment/check_in"); c[len(c)-1].Body["subscriber_id"] != "acc-1" || c[len(c)-1].IdempotencyKey != "ci-0123456789abcdef" {
		t.Errorf("check-in call %+v", c[len(c)-1])
	}

	p.upload("/hospital/appointments/appt-1/documents", map[string]string{"kind": "prescription"}, "", nil).
		want(t, http.StatusUnprocessableEntity, "Select a file")
	p.upload("/hospital/appointments/appt-1/documents", map[string]string{"kind": "prescription"}, "virus.exe", []byte("MZ")).
		want(t, http.StatusUnprocessableEntity, "The selected file must be a PDF, PNG or JPEG")
	p.upload("/hospital/appointments/appt-1/documents", map[string]string{"kind": "prescription"}, "big.pdf", bytes.Repeat([]byte("x"), 600<<10)).
		want(t, http.StatusUnprocessableEntity, "The file must be 512 KB or smaller")
	p.upload("/hospital/appointments/appt-1/documents", map[string]string{"kind": "prescription"}, "retsept.pdf", pdf).
		redirect(t, "/hospital/appointments/appt-1")
	p.get("/hospital/appointments/appt-1").want(t, http.StatusOK, "retsept.pdf has been added", "Prescription: retsept.pdf")
	dl := p.get("/hospital/appointments/appt-1/documents/doc-1").want(t, http.StatusOK)
	p.lang = "et"
	p.get("/hospital/today?date=2026-12-08").want(t, http.StatusOK, `<html lang="et"`, "Vastuvõtud: teisipäev, 8. detsember 2026")
	p.get("/hospital/appointments/appt-1").want(t, http.StatusOK, "Retseptid ja dokumendid", "Retsept: retsept.pdf")
	p.lang = ""
	if dl.body != string(pdf) || dl.header.Get("Content-Type") != "application/pdf" ||
		dl.header.Get("Content-Disposition") != `attachment; filename=retsept.pdf` || dl.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download %q %v", dl.body, dl.header)
	}

	p.gw.mu.Lock()
	p.gw.me = map[string]any{"id": "acc-1", "email": "mari.tamm@example.org", "name": "Mari Tamm", "roles": []string{"citizen"}, "status": "active"}
	p.gw.mu.Unlock()
	p.signInAs("/appointments")
	p.get("/appointments/appt-1").want(t, http.StatusOK, "Prescriptions and documents", "Prescription: retsept.pdf",
		`href="/appointments/appt-1/documents/doc-1"`)
	if dl := p.get("/appointments/appt-1/documents/doc-1").want(t, http.StatusOK); dl.body != string(pdf) {
		t.Errorf("the patient's download %q", dl.body)
	}
	p.get("/appointments/appt-1/documents/doc-9").want(t, http.StatusNotFound)
	p.get("/hospital/today").want(t, http.StatusForbidden)
}

// An administrator lists the domain requests, reads one, must say why when refusing, and approves it once.
func TestAdministratorDecidesDomainRequests(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeAdmin()
	p.signInAs("/admin/domain-requests")
	p.get("/admin/domain-requests").want(t, http.StatusOK, "mari@health.example", "Waiting for a decision",
		`href="/admin/domain-requests/task-1"`)
	p.get("/admin/domain-requests/task-1").want(t, http.StatusOK, "health.example", "Health Board", "We buy medical supplies")
	p.lang = "et"
	p.get("/admin/domain-requests").want(t, http.StatusOK, `<html lang="et"`, "Avaliku sektori domeenitaotlused", "Ootab otsust")
	p.get("/admin/domain-requests/task-1").want(t, http.StatusOK, "Sinu otsus")
	p.lang = ""
	p.post("/admin/domain-requests/task-1", url.Values{}).want(t, http.StatusUnprocessableEntity, "Select whether to approve or refuse")
	p.post("/admin/domain-requests/task-1", url.Values{"decision": {"reject"}}).want(t, http.StatusUnprocessableEntity,
		"Enter why the request is refused")
	p.post("/admin/domain-requests/task-1", url.Values{"decision": {"approve"}, "key": {"d-0123456789abcdef"}}).redirect(t, "/admin/domain-requests")
	p.get("/admin/domain-requests").want(t, http.StatusOK, "The domain is approved", "Approved")
	if c := p.gw.calls("POST /tasks/task-1/complete"); len(c) != 1 || c[0].IdempotencyKey != "d-0123456789abcdef" ||
		c[0].Body["data"].(map[string]any)["decision"] != "approve" || c[0].Authorization == "" {
		t.Errorf("complete calls %+v", c)
	}
	if page := p.get("/admin/domain-requests/task-1").want(t, http.StatusOK, "Approved"); strings.Contains(page.body, `name="decision"`) {
		t.Error("a decided request still offers a decision")
	}
	p.post("/admin/domain-requests/task-1", url.Values{"decision": {"approve"}}).want(t, http.StatusUnprocessableEntity,
		"This request has already been decided")
	p.gw.becomeStaff()
	p.signInAs("/hospital/today")
	p.get("/admin/domain-requests").want(t, http.StatusForbidden)
}
