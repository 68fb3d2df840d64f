package site

import (
	"net/http"
	"strings"
	"testing"
)

// Every page a signed-out person can open renders, in English and in Estonian, with the language on <html>,
// its title, the error-free layout and no message key missing from either file.
func TestPublicPagesRenderInBothLanguages(t *testing.T) {
	pages := []struct{ path, title string }{
		{"/", "Public services marketplace"},
		{"/sign-in", "Sign in"},
		{"/register", "Create an account"},
		{"/register/citizen", "Create a citizen account"},
		{"/register/buyer", "Register as a public-sector buyer"},
		{"/register/domain-request", "Ask for your email domain to be approved"},
		{"/register/supplier", "What is your company number?"},
		{"/forgot-password", "Reset your password"},
		{"/activate", "This link has expired"},
		{"/reset-password", "This link has expired"},
		{"/doctors", "Which city are you in?"},
		{"/doctors/hospital?city=Tallinn", "Which hospital?"},
		{"/doctors/department?hospital=hosp-north-tallinn", "Which department?"},
		{"/doctors/doctor?hospital=hosp-north-tallinn&department=cardiology", "Which doctor?"},
		{"/doctors/slots?hospital=hosp-north-tallinn&doctor=doc-kask", "Choose a time"},
		{"/tenders", "Open tenders"},
	}
	p := newPortal(t)
	for _, pg := range pages {
		a := p.get(pg.path).want(t, http.StatusOK, `<html lang="en"`, "<title>"+strings.ReplaceAll(pg.title, "'", "&#39;"), `id="main-content"`)
		if !strings.Contains(a.body, `href="/language/et?next=`) {
			t.Errorf("%s: no link to the Estonian page", pg.path)
		}
		if a.header.Get("Cache-Control") != "no-store" || !strings.Contains(a.header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: headers %v", pg.path, a.header)
		}
	}
	p.lang = "et-EE,et;q=0.9,en;q=0.5"
	for _, pg := range pages {
		a := p.get(pg.path).want(t, http.StatusOK, `<html lang="et"`)
		if strings.Contains(a.body, "<title>"+pg.title) {
			t.Errorf("%s: the Estonian page has the English title %q", pg.path, pg.title)
		}
	}
}

// The switch link keeps the choice in the session, whatever the browser prefers, and comes back to the page.
func TestLanguageSwitch(t *testing.T) {
	p := newPortal(t)
	p.get("/doctors").want(t, http.StatusOK, `<html lang="en"`)
	p.get("/language/et?next=%2Fdoctors").redirect(t, "/doctors")
	p.get("/doctors").want(t, http.StatusOK, `<html lang="et"`, "Millises linnas sa oled?")
	p.get("/language/en?next=https%3A%2F%2Fevil.example%2F").redirect(t, "/") // never off the site
	p.get("/language/fr").want(t, http.StatusNotFound)
}

// The slot picker shows the hospital's wall-clock times (Tallinn is UTC+2 in December) and pages by week.
func TestSlotsAreInTheHospitalsTimeZone(t *testing.T) {
	p := newPortal(t)
	a := p.get("/doctors/slots?hospital=hosp-north-tallinn&doctor=doc-kask").want(t, http.StatusOK,
		"Europe/Tallinn", "Monday 7 December 2026", ">09:00<", ">09:40<", `value="2026-12-07T07:00:00Z"`, "Next week")
	if strings.Contains(a.body, ">07:00<") {
		t.Error("a slot is shown in UTC, not in the hospital's time")
	}
	if strings.Contains(a.body, "Previous week") {
		t.Error("the first week links to an earlier one")
	}
	p.get("/doctors/slots?hospital=hosp-north-tallinn&doctor=doc-kask&week=2026-12-14").want(t, http.StatusOK,
		"Monday 14 December 2026", "Previous week")
	p.get("/doctors/slots?hospital=hosp-exampleville-general&doctor=doc-okafor").want(t, http.StatusOK, ">07:00<", "(UTC)")
	p.get("/doctors/slots?hospital=hosp-north-tallinn&doctor=doc-okafor").want(t, http.StatusNotFound)
}

// Each step of finding a doctor, sent without a choice, says so next to the question (JavaScript off).
func TestFindADoctorStepsNeedAChoice(t *testing.T) {
	p := newPortal(t)
	for _, tc := range []struct{ path, msg string }{
		{"/doctors/hospital?city=", "Select a city"},
		{"/doctors/department?city=Tallinn&hospital=", "Select a hospital"},
		{"/doctors/doctor?hospital=hosp-north-tallinn&department=", "Select a department"},
		{"/doctors/slots?hospital=hosp-north-tallinn&department=cardiology&doctor=", "Select a doctor"},
		{"/doctors/slots?hospital=hosp-north-tallinn&doctor=doc-kask&error=start", "Select a time"},
	} {
		p.get(tc.path).want(t, http.StatusUnprocessableEntity, "govuk-error-summary", `class="govuk-error-message"`, tc.msg)
	}
	p.get("/doctors/department?hospital=nowhere").want(t, http.StatusNotFound)
}

// Unknown paths are the not-found page, in the layout.
func TestNotFound(t *testing.T) {
	p := newPortal(t)
	p.get("/nothing/here").want(t, http.StatusNotFound, "Page not found")
}

// The assets are served with a long cache when the URL carries their hash, and the pages link them so.
func TestAssets(t *testing.T) {
	p := newPortal(t)
	home := p.get("/").body
	for _, name := range []string{"portal.css", "portal.js", "js-enabled.js"} {
		url := p.site.assets.URL(name)
		if !strings.Contains(home, url) {
			t.Errorf("the layout does not link %s", url)
		}
		a := p.get(url).want(t, http.StatusOK)
		if !strings.Contains(a.header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", url, a.header.Get("Cache-Control"))
		}
	}
	p.get(p.site.assets.URL("govuk-frontend.min.js")).want(t, http.StatusOK, "initAll")
	p.get("/assets/LICENSE-govuk-frontend.txt").want(t, http.StatusNotFound)
	p.get("/assets/nothing.css").want(t, http.StatusNotFound)
}
