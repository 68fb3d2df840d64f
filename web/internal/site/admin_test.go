package site

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const registriesPage = "/admin/im/services/GOVSTACK:GOV:GOVSTACK:registries/registries"

// An administrator sees the IM's members and a service's rights, grants a right after confirming it, is told
// next to the field what to fix, and revokes the right after confirming.
func TestAdministratorGrantsAndRevokesARight(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeAdmin()
	p.signInAs("/admin/domain-requests")
	p.get("/admin/im").want(t, http.StatusOK, "Ministry of Interior", "GOV/70000001", `href="`+registriesPage+`"`, "0 rights")
	p.get(registriesPage).want(t, http.StatusOK, "No client may call this service yet", "GOVSTACK/GOV/GOVSTACK/registries")

	p.post(registriesPage+"/rights", url.Values{"action": {"allow"}, "client": {"not a client"}, "endpoint": {"ReadRecord"}}).
		want(t, http.StatusUnprocessableEntity, "Enter the client as INSTANCE/CLASS/MEMBER/SUBSYSTEM",
			"Enter the endpoint as a gRPC method starting with /", `value="not a client"`)
	grant := url.Values{"action": {"allow"}, "client": {"GOVSTACK/GOV/70000001/portal"},
		"endpoint": {"/govstack.registries.v1.RegistriesService/ReadRecord"}}
	p.post(registriesPage+"/rights", grant).want(t, http.StatusOK, "Grant this right?", `name="confirm" value="yes"`)
	if len(p.gw.calls("PATCH /api/v1/rights/allow")) != 0 {
		t.Fatal("the right was granted before it was confirmed")
	}
	grant.Set("confirm", "yes")
	p.post(registriesPage+"/rights", grant).redirect(t, registriesPage)
	p.get(registriesPage).want(t, http.StatusOK, "GOVSTACK/GOV/70000001/portal may now call the service",
		"ReadRecord", "govstack.registries.v1.RegistriesService")
	p.get("/admin/im").want(t, http.StatusOK, "Called by: portal")
	if c := p.gw.calls("PATCH /api/v1/rights/allow"); len(c) != 1 || c[0].Authorization != "Bearer access-1" {
		t.Errorf("allow calls %+v", c)
	}

	unknown := url.Values{"action": {"allow"}, "client": {"GOVSTACK/GOV/99/nobody"}, "confirm": {"yes"}}
	page := p.post(registriesPage+"/rights", unknown).want(t, http.StatusUnprocessableEntity, "does not know this client")
	if strings.Contains(page.body, "RAW-API-MESSAGE") {
		t.Error("the IM's own message is shown")
	}

	revoke := url.Values{"action": {"deny"}, "client": {"GOVSTACK/GOV/70000001/portal"},
		"endpoint": {"/govstack.registries.v1.RegistriesService/ReadRecord"}}
	p.get(registriesPage)
	p.post(registriesPage+"/rights", revoke).want(t, http.StatusOK, "Revoke this right?")
	revoke.Set("confirm", "yes")
	p.post(registriesPage+"/rights", revoke).redirect(t, registriesPage)
	p.get(registriesPage).want(t, http.StatusOK, "The right of GOVSTACK/GOV/70000001/portal is revoked", "No client may call")

	p.lang = "et"
	p.get("/admin/im").want(t, http.StatusOK, "Infovahendaja liikmed")
	p.get("/admin/im/services/bad/registries").want(t, http.StatusNotFound)
	p.gw.becomeStaff()
	p.signInAs("/hospital/today")
	p.get("/admin/im").want(t, http.StatusForbidden)
}

// The message-log page checks the period, runs the verification, and shows an intact log, or the first
// broken record.
func TestAdministratorVerifiesTheMessageLog(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeAdmin()
	p.signInAs("/admin/domain-requests")
	p.get("/admin/message-log").want(t, http.StatusOK, `value="2026-12-07"`)
	if len(p.gw.calls("GET /api/v1/msglog/verification")) != 0 {
		t.Fatal("opening the page ran a verification")
	}
	p.get("/admin/message-log?run=1&from=2026-12-07&to=2026-12-01").want(t, http.StatusUnprocessableEntity,
		"The last day must be on or after the first day", `value="2026-12-01"`)
	p.get("/admin/message-log?run=1&from=2026-10-01&to=2026-12-07").want(t, http.StatusUnprocessableEntity, "at most 31 days")
	p.get("/admin/message-log?run=1&from=yesterday&to=2026-12-07").want(t, http.StatusUnprocessableEntity, "Enter the first day as a date")
	p.get("/admin/message-log?run=1&from=2026-12-06&to=2026-12-07").want(t, http.StatusOK, "The message log is intact", ">42<")
	if c := p.gw.calls("GET /api/v1/msglog/verification"); len(c) != 1 || c[0].Query != "from=2026-12-06T00%3A00%3A00Z&to=2026-12-08T00%3A00%3A00Z" {
		t.Errorf("verification calls %+v", c)
	}
	p.gw.mu.Lock()
	p.gw.brokenLog = true
	p.gw.mu.Unlock()
	p.get("/admin/message-log?run=1&from=2026-12-06&to=2026-12-07").want(t, http.StatusOK, "The message log is broken",
		"First broken record: chain audit, record 7 (tampered)", "Broken at 7")
	p.gw.fail("GET /api/v1/msglog/verification", fakeError{status: http.StatusServiceUnavailable, code: "UNAVAILABLE"})
	p.get("/admin/message-log?run=1&from=2026-12-06&to=2026-12-07").want(t, http.StatusServiceUnavailable, "the service is unavailable right now")
}

// The dashboards show procurement's reports and the workflow engine's numbers as tables; a part that does not
// answer says so while the others show; a process's page carries its diagram for the viewer and its instances.
func TestAdministratorDashboards(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeAdmin()
	p.signInAs("/admin/domain-requests")
	p.gw.book(map[string]any{"resource_id": "doc-kask", "start_time": "2026-12-07T08:00:00Z"})
	today := p.get("/admin/dashboards").body
	if !regexp.MustCompile(`North Tallinn Hospital</th>\s*<td[^>]*>1</td>`).MatchString(today) {
		t.Errorf("the dashboard does not count North Tallinn's booked appointment:\n%s", today)
	}
	p.get("/admin/dashboards").want(t, http.StatusOK, "Open for bids", ">3<", "Hospital beds", "Delivery", "5.5",
		"the e-mail service did not answer", `href="/admin/dashboards/workflow/tender-award"`, "active 2",
		"Authorised, paying", ">5<")
	p.gw.fail("GET /reports/overdueSteps", fakeError{status: http.StatusServiceUnavailable, code: "UNAVAILABLE"})
	p.get("/admin/dashboards").want(t, http.StatusOK, "This part is not available right now", "Hospital beds")
	page := p.get("/admin/dashboards/workflow/tender-award").want(t, http.StatusOK, "Tender award", "data-bpmn-diagram",
		"bpmn-viewer.min.js", "bpmn-viewer.css", "tender t-1", "&lt;bpmn:process id=&#34;tender-award&#34;")
	if strings.Contains(page.body, "<bpmn:process") {
		t.Error("the BPMN document is in the page unescaped")
	}
	p.gw.fail("GET /processes/nosuch", fakeError{status: http.StatusNotFound, code: "NOT_FOUND"})
	p.get("/admin/dashboards/workflow/nosuch").want(t, http.StatusNotFound)
}
