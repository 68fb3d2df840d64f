package site

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Citizen registration: the date's three boxes become the API's birthDate, a violation is shown next to its
// field with what the person typed kept, and success is the check-your-email page.
func TestRegisterCitizen(t *testing.T) {
	p := newPortal(t)
	p.get("/register/citizen")
	form := url.Values{"nationalId": {"EE37801010001"}, "firstName": {"Mari"}, "lastName": {"Tamm"},
		"birthDate-day": {"1"}, "birthDate-month": {"1"}, "birthDate-year": {"1978"}, "email": {"mari.tamm@example.org"}}
	bad := cloneForm(form)
	bad.Set("birthDate-day", "31")
	bad.Set("birthDate-month", "2")
	p.post("/register/citizen", bad).want(t, http.StatusUnprocessableEntity, "Date of birth must be a real date",
		`href="#f-birthDate-day"`, `value="31"`, `value="Tamm"`)
	if c := p.gw.calls("POST /accounts/citizens"); len(c) != 1 || c[0].Body["citizen"].(map[string]any)["birthDate"] != "" {
		t.Fatalf("an impossible date was sent to the API as a date: %+v", c)
	}
	p.gw.fail("POST /accounts/citizens", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_EMAIL",
		violations: [][2]string{{"citizen.email", "not a valid e-mail address, e.g. name@ministry.gov.example"}}})
	a := p.post("/register/citizen", form).want(t, http.StatusUnprocessableEntity, "Enter an email address in the correct format",
		`id="f-email-error"`, `href="#f-email"`, `value="EE37801010001"`, `value="mari.tamm@example.org"`)
	if strings.Contains(a.body, "RAW-API-MESSAGE") || strings.Contains(a.body, "ministry.gov.example") {
		t.Error("the page shows the API's own words")
	}
	p.gw.fail("POST /accounts/citizens", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "CITIZEN_NOT_VERIFIED"})
	p.post("/register/citizen", form).want(t, http.StatusUnprocessableEntity, "could not match these details", `href="#f-nationalId"`)
	delete(p.gw.errors, "POST /accounts/citizens")
	p.post("/register/citizen", form).redirect(t, "/check-email")
	p.get("/check-email").want(t, http.StatusOK, "mari.tamm@example.org", "activate your account")
	c := p.gw.calls("POST /accounts/citizens")
	if got := c[len(c)-1].Body["citizen"].(map[string]any); got["birthDate"] != "1978-01-01" || got["nationalId"] != "EE37801010001" {
		t.Errorf("registered %v", got)
	}
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Buyer registration: every missing field is shown at once; a domain that is not approved is the error on
// the e-mail field with the way to the domain request, which starts with what was typed.
func TestRegisterBuyerAndDomainRequest(t *testing.T) {
	p := newPortal(t)
	p.get("/register/buyer")
	p.gw.fail("POST /accounts/buyers", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"name", "required"}, {"organisation", "required"}}})
	p.post("/register/buyer", url.Values{"email": {"jane@moj.gov.example"}}).want(t, http.StatusUnprocessableEntity,
		"Enter your full name", "Enter your organisation", `href="#f-name"`, `href="#f-organisation"`, `value="jane@moj.gov.example"`)
	p.gw.fail("POST /accounts/buyers", fakeError{status: 400, code: "FAILED_PRECONDITION", reason: "DOMAIN_NOT_APPROVED"})
	form := url.Values{"name": {"Jane Doe"}, "organisation": {"Prison Service"}, "email": {"jane@prisons.example"}}
	p.post("/register/buyer", form).want(t, http.StatusUnprocessableEntity, "not an approved public-sector domain",
		`id="f-email-error"`, `href="/register/domain-request"`, `value="Prison Service"`)
	p.get("/register/domain-request").want(t, http.StatusOK, `value="Jane Doe"`, `value="Prison Service"`, `value="jane@prisons.example"`)
	p.gw.fail("POST /accounts/domain-requests", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "WEBMAIL_DOMAIN",
		violations: [][2]string{{"email", "gmail.com is a personal webmail domain"}}})
	p.post("/register/domain-request", url.Values{"name": {"Jane Doe"}, "organisation": {"Prison Service"},
		"email": {"jane@gmail.com"}, "reason": {"We run the prisons"}}).want(t, http.StatusUnprocessableEntity,
		"Personal email domains", "We run the prisons")
	delete(p.gw.errors, "POST /accounts/domain-requests")
	p.post("/register/domain-request", url.Values{"name": {"Jane Doe"}, "organisation": {"Prison Service"},
		"email": {"jane@prisons.example"}, "reason": {"We run the prisons"}}).redirect(t, "/check-email")
	p.get("/check-email").want(t, http.StatusOK, "An administrator will review your request")
	delete(p.gw.errors, "POST /accounts/buyers")
	p.get("/register/buyer")
	p.post("/register/buyer", url.Values{"name": {"Jane Doe"}, "organisation": {"MoJ"}, "email": {"jane@moj.gov.example"}}).
		redirect(t, "/check-email")
}

// Supplier registration: company id (errors from the companies registry on it), the details, check your
// answers with change links, submit.
func TestRegisterSupplier(t *testing.T) {
	p := newPortal(t)
	p.get("/register/supplier/details").redirect(t, "/register/supplier") // no draft yet
	p.get("/register/supplier")
	p.post("/register/supplier", url.Values{"companyId": {""}}).want(t, http.StatusUnprocessableEntity, "Enter your company number")
	for reason, msg := range map[string]string{"COMPANY_NOT_FOUND": "No company has this number", "COMPANY_DISSOLVED": "dissolved",
		"SUPPLIER_EXISTS": "already has a supplier account"} {
		p.gw.fail("POST /accounts/suppliers/drafts", fakeError{status: 400, code: "FAILED_PRECONDITION", reason: reason})
		p.post("/register/supplier", url.Values{"companyId": {"07654321"}}).want(t, http.StatusUnprocessableEntity, msg,
			`href="#f-companyId"`, `value="07654321"`)
	}
	delete(p.gw.errors, "POST /accounts/suppliers/drafts")
	p.post("/register/supplier", url.Values{"companyId": {"123456789"}}).redirect(t, "/register/supplier/details")
	p.get("/register/supplier/details").want(t, http.StatusOK, "Contoso Health Systems", `value="Contoso Health Systems"`)
	p.post("/register/supplier/details", url.Values{"companyName": {"Contoso"}}).want(t, http.StatusUnprocessableEntity,
		"Enter the contact person", "Enter the email address to sign in with", `value="Contoso"`)
	p.gw.fail("PATCH /accounts/suppliers/drafts/d-1", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"contactPhone", "a phone number in international form"}}})
	details := url.Values{"companyName": {"Contoso"}, "contactName": {"Sam Supplier"}, "contactEmail": {"sam@contoso.example"},
		"contactPhone": {"12"}, "loginEmail": {"sam@contoso.example"}}
	p.post("/register/supplier/details", details).want(t, http.StatusUnprocessableEntity, "Enter a phone number in international format",
		`href="#f-contactPhone"`, `value="12"`)
	delete(p.gw.errors, "PATCH /accounts/suppliers/drafts/d-1")
	details.Set("contactPhone", "+44 7700 900123")
	p.post("/register/supplier/details", details).redirect(t, "/register/supplier/check")
	p.get("/register/supplier/check").want(t, http.StatusOK, "Check your answers", "govuk-summary-list",
		`href="/register/supplier"`, `href="/register/supplier/details"`, "Change<span class=\"govuk-visually-hidden\"> Company number")
	p.post("/register/supplier/check", nil).redirect(t, "/check-email")
	if n := len(p.gw.calls("POST /accounts/suppliers/drafts/d-1/submit")); n != 1 {
		t.Fatalf("%d submits", n)
	}
	p.get("/register/supplier/check").redirect(t, "/register/supplier") // the draft is done
}
