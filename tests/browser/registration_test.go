package browser

import (
	"strings"
	"testing"
)

// activateAndSignIn opens the activation link e-mailed to email, sets password and signs in.
func (b *tab) activateAndSignIn(email, password string) {
	b.t.Helper()
	b.open(env.mail.link(b.t, email, activationLink))
	b.see("h1", "Activate your account")
	b.fill("f-password", password)
	b.fill("f-confirm", password)
	b.submit()
	b.see(".govuk-notification-banner", "Your account is active")
	b.fill("f-password", password)
	b.submit()
	b.see(".govuk-notification-banner", "You are signed in")
}

// The buyer journey: a work e-mail on a domain that is not approved is refused next to the field, with the
// domain request as the way on (which starts with what was typed); then a buyer on an approved domain
// registers, activates and signs in.
func TestBuyerJourney(t *testing.T) {
	b := newTab(t, "buyer", true)
	b.open("/register/buyer")
	b.fill("f-name", "Jane Doe")
	b.fill("f-organisation", "Prison Service")
	b.fill("f-email", "jane.doe@prisons.example")
	b.submit()
	b.see("#f-email-error", "not an approved public-sector domain")
	b.shot("buyer-domain-not-approved")
	b.click(`.govuk-inset-text a[href="/register/domain-request"]`)
	b.see("h1", "Ask for your email domain to be approved")
	b.fill("f-reason", "The Prison Service is an executive agency of the Ministry of Justice.")
	b.submit()
	b.see("main", "Check your email", "An administrator will review your request")

	b.open("/register/buyer")
	b.fill("f-name", "Jane Doe")
	b.fill("f-organisation", "Ministry of Justice")
	b.fill("f-email", "jane.doe@moj.gov.example")
	b.submit()
	b.see("main", "Check your email", "jane.doe@moj.gov.example")
	b.activateAndSignIn("jane.doe@moj.gov.example", "the prison service 2026 and beyond")
	b.see("h1", "Your tenders") // a buyer lands on their tenders
	t.Logf("%d pages checked with axe-core", b.pages)
}

// The supplier journey: company id checked against the companies registry, the details, check your answers
// with change links, activation and sign-in; then a password reset by e-mail and signing in with it.
func TestSupplierJourney(t *testing.T) {
	b := newTab(t, "supplier", true)
	b.open("/register/supplier")
	b.fill("f-companyId", "07654321") // dissolved in the demo companies registry
	b.submit()
	b.see("#f-companyId-error", "dissolved")
	b.open("/register/supplier")
	b.fill("f-companyId", "555000111")
	b.submit()
	b.see("main", "Initech Software")
	b.fill("f-contactName", "Sam Supplier")
	b.fill("f-contactEmail", "sam@initech.example")
	b.fill("f-contactPhone", "+372 5555 0101")
	b.fill("f-loginEmail", "sam@initech.example")
	b.submit()
	b.see("h1", "Check your answers")
	b.see("main", "555000111", "Initech Software", "+3725555", "sam@initech.example")
	b.shot("supplier-check-answers")
	b.click(`main dl a[href="/register/supplier/details"]`) // change, and come back
	b.see("h1", "Your company's details")
	b.submit()
	b.see("h1", "Check your answers")
	b.submit()
	b.see("main", "Check your email", "sam@initech.example")
	b.activateAndSignIn("sam@initech.example", "initech supplies the best staplers")

	b.click(`form[action="/sign-out"] button`)
	b.see(".govuk-notification-banner", "You have signed out")
	b.open("/sign-in")
	b.click(`a[href="/forgot-password"]`)
	b.fill("f-email", "sam@initech.example")
	b.submit()
	b.see("main", "Check your email")
	b.open(env.mail.link(t, "sam@initech.example", resetLink))
	b.see("h1", "Choose a new password")
	if strings.Contains(b.url(), "token=") {
		t.Errorf("the reset page keeps the token in its URL: %s", b.url())
	}
	b.fill("f-password", "a new password for the staplers")
	b.fill("f-confirm", "a new password for the staplers")
	b.submit()
	b.see(".govuk-notification-banner", "Your password has been changed")
	b.fill("f-password", "a new password for the staplers")
	b.submit()
	b.see(".govuk-notification-banner", "You are signed in")
	t.Logf("%d pages checked with axe-core", b.pages)
}

// A citizen journey with JavaScript off: every step is a link or a form (register, activate, sign in,
// find a doctor, book, cancel), and axe-core finds nothing on those pages either.
func TestCitizenJourneyWithoutJavaScript(t *testing.T) {
	b := newTab(t, "citizen without JavaScript", false)
	b.open("/")
	b.registerCitizen(john, false)
	b.findDoctor("Exampleville", "hosp-exampleville-general", "general-practice", "doc-smith", false)
	b.see("main", "(UTC)")
	b.choose(`input[name=start]`)
	b.submit()
	b.submit() // confirm
	b.see(".govuk-panel", "Appointment booked")
	b.click(`a[href$="/cancel"]`)
	b.submit()
	b.see("main dl", "Cancelled")
	b.click(`form[action="/sign-out"] button`)
	b.see(".govuk-notification-banner", "You have signed out")
	t.Logf("%d pages checked with axe-core", b.pages)
}
