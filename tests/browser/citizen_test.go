package browser

import (
	"regexp"
	"strings"
	"testing"
)

var (
	activationLink = regexp.MustCompile(`https?://\S+/activate\?token=[A-Za-z0-9_-]+`)
	resetLink      = regexp.MustCompile(`https?://\S+/reset-password\?token=[A-Za-z0-9_-]+`)
)

// citizen is a person of the demo population register (services/registries' seed).
type citizen struct{ id, first, last, day, month, year, email string }

var (
	mari = citizen{"EE37801010001", "Mari", "Tamm", "1", "1", "1978", "mari.tamm@example.org"}
	john = citizen{"EE38502020002", "John", "Smith", "2", "2", "1985", "john.smith@example.org"}
)

const citizenPassword = "a long and quiet evening walk"

// registerCitizen walks registration, the e-mailed activation link and signing in.
func (b *tab) registerCitizen(c citizen, shots bool) {
	b.t.Helper()
	b.open("/register")
	b.click(`a[href="/register/citizen"]`)
	b.submit() // nothing filled in: every error next to its field
	b.see(".govuk-error-summary", "Enter your national identification number", "Enter your date of birth")
	if shots {
		b.shot("citizen-register-errors")
	}
	b.fill("f-nationalId", c.id)
	b.fill("f-firstName", c.first)
	b.fill("f-lastName", c.last)
	b.fill("f-birthDate-day", c.day)
	b.fill("f-birthDate-month", c.month)
	b.fill("f-birthDate-year", c.year)
	b.fill("f-email", c.email)
	b.submit()
	b.see("h1", "Check your email")
	b.open(env.mail.link(b.t, c.email, activationLink))
	b.see("h1", "Activate your account")
	if strings.Contains(b.url(), "token=") {
		b.t.Errorf("the activation page keeps the token in its URL: %s", b.url())
	}
	b.fill("f-password", citizenPassword)
	b.fill("f-confirm", citizenPassword)
	b.submit()
	b.see("h1", "Sign in")
	b.see(".govuk-notification-banner", "Your account is active")
	b.fill("f-password", citizenPassword)
	b.submit()
	b.see("h1", "My appointments")
}

// findDoctor goes from the city to the doctor's free times.
func (b *tab) findDoctor(city, hospital, department, doctor string, shots bool) {
	b.t.Helper()
	b.click(`a[href="/doctors"]`)
	b.see("h1", "Which city are you in?")
	if shots {
		b.shot("find-a-doctor-city")
	}
	b.choose(`input[name=city][value="` + city + `"]`)
	b.submit()
	b.choose(`input[name=hospital][value="` + hospital + `"]`)
	b.submit()
	b.choose(`input[name=department][value="` + department + `"]`)
	b.submit()
	b.choose(`input[name=doctor][value="` + doctor + `"]`)
	b.submit()
	b.see("h1", "Choose a time")
}

// The citizen journey with JavaScript on: register, activate from the e-mailed link, sign in, find a doctor,
// book, see the confirmation, move the appointment, cancel it; and the same pages in Estonian.
func TestCitizenJourney(t *testing.T) {
	b := newTab(t, "citizen", true)
	b.open("/")
	b.shot("home")
	b.registerCitizen(mari, true)
	b.findDoctor("Tallinn", "hosp-north-tallinn", "cardiology", "doc-kask", true)
	b.see("main", "Europe/Tallinn")
	b.shot("choose-a-time")
	b.submit() // no time chosen
	b.see(".govuk-error-summary", "Select a time")
	b.choose(`input[name=start]`)
	b.submit()
	b.see("h1", "Check and confirm your appointment")
	b.fill("f-reason", "Check-up after a chest cold")
	b.shot("confirm-booking")
	b.submit()
	b.see(".govuk-panel", "Appointment booked")
	code := b.text("#booking-code")
	if len(code) < 4 {
		t.Fatalf("booking code %q", code)
	}
	b.shot("booked")
	first := b.text("main dl")

	b.click(`a[href$="/reschedule"]`)
	b.see("h1", "Choose a new time")
	b.choose(`.portal-slot-days .govuk-form-group:nth-child(2) input[name=start]`) // a time on another day
	b.submit()
	b.see(".govuk-notification-banner", "Your appointment has been moved")
	if moved := b.text("main dl"); moved == first || !strings.Contains(moved, code) {
		t.Errorf("after the move the appointment reads %q (before: %q)", moved, first)
	}
	b.click(`.govuk-back-link`)
	b.see("h1", "My appointments")
	b.shot("my-appointments")
	b.click(`main table a`)
	b.click(`a[href$="/cancel"]`)
	b.see("h1", "Are you sure you want to cancel")
	b.submit()
	b.see(".govuk-notification-banner", "Your appointment has been cancelled")
	b.see("main dl", "Cancelled")

	b.click(`a[hreflang="et"]`)
	b.see("h1", "Sinu vastuvõtt")
	b.see("main dl", "Tühistatud")
	b.click(`a[href="/appointments"]`)
	b.shot("my-appointments-et")
	t.Logf("%d pages checked with axe-core", b.pages)
}
