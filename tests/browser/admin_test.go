package browser

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// adminSignedIn signs govstack dev's administrator in on tab b.
func (b *tab) adminSignedIn() {
	b.t.Helper()
	b.open("/sign-in")
	b.fill("f-email", devstack.DevAdminEmail)
	b.fill("f-password", devstack.DevAdminPassword)
	b.submit()
	b.see("h1", "Public-sector domain requests")
}

// The administrator's IM pages through the real IM (the portal acting for them, ADR 0016): the members,
// a service's rights, granting a right and revoking it, each confirmed first.
func TestAdministratorIMRightsJourney(t *testing.T) {
	const endpoint = "/govstack.registries.v1.RegistriesService/DeleteRecord"
	a := newTab(t, "administrator", true)
	a.adminSignedIn()
	a.open("/admin/im")
	a.see("#members", "registries", "scheduling")
	a.shot("admin-im")
	a.click(`a[href="/admin/im/services/GOVSTACK:GOV:GOVSTACK:registries/registries"]`)
	a.see("h1", "Service registries")
	a.fill("f-client", "not a client")
	a.click("#grant button")
	a.see("#f-client-error", "INSTANCE/CLASS/MEMBER/SUBSYSTEM")
	a.do(chromedp.SetValue(chromedp.ID("f-client"), "GOVSTACK/GOV/GOVSTACK/scheduling"))
	a.fill("f-endpoint", endpoint)
	a.click("#grant button")
	a.see("h1", "Grant this right?")
	a.see("main dl", "GOVSTACK/GOV/GOVSTACK/scheduling", endpoint)
	a.shot("admin-im-confirm")
	a.submit()
	a.see(".govuk-notification-banner", "may now call the service")
	a.see("#rights", "DeleteRecord")
	a.shot("admin-im-service")
	a.click(`#rights form:has(input[name=endpoint][value="` + endpoint + `"]) button`)
	a.see("h1", "Revoke this right?")
	a.submit()
	a.see(".govuk-notification-banner", "is revoked")
	a.click(`a[hreflang="et"]`)
	a.see("h1", "Teenus registries")
	a.shot("admin-im-service-et")
}

// The message-log verification runs over the real IM's log and shows an intact log.
func TestAdministratorMessageLogJourney(t *testing.T) {
	a := newTab(t, "administrator", true)
	a.adminSignedIn()
	a.open("/admin/message-log")
	a.submit()
	a.see("#verdict", "The message log is intact")
	a.see("main dl", "Records checked", "Checkpoints compared")
	a.shot("admin-message-log")
	a.click(`a[hreflang="et"]`)
	a.open("/admin/message-log")
	a.submit()
	a.see("#verdict", "Sõnumilogi on selle perioodi kohta terve")
	a.shot("admin-message-log-et")
}

// The dashboards show their numbers as tables with JavaScript off, and a process's BPMN diagram drawn by the
// bpmn.io viewer with it on.
func TestAdministratorDashboardsJourney(t *testing.T) {
	off := newTab(t, "administrator without JavaScript", false)
	off.adminSignedIn()
	off.open("/admin/dashboards")
	off.see("#tenders-by-stage", "Stage")
	off.see("#processes", "Version")
	off.click("#processes tbody tr:first-child a")
	off.see("#bpmn-diagram", "The diagram is drawn with JavaScript")
	off.see("#instances", "State")

	a := newTab(t, "administrator", true)
	a.adminSignedIn()
	a.open("/admin/dashboards")
	a.shot("dashboard")
	a.click("#processes tbody tr:first-child a")
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS(`#bpmn-diagram[data-drawn="true"] svg`))); err != nil {
		t.Fatalf("the BPMN diagram was not drawn: %v (data-drawn=%q)", err, a.attr("#bpmn-diagram", "data-drawn"))
	}
	a.axe()
	a.shot("dashboard-workflow")
	a.click(`a[hreflang="et"]`)
	a.open("/admin/dashboards")
	a.see("h1", "Ülevaated")
	a.shot("dashboard-et")
}

// attr is the attribute name of the first element matching sel ("" when it has none).
func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	attrs, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.CSS(sel)))
	if err != nil {
		return ""
	}
	return attrs[name]
}
