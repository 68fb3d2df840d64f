package domain

import (
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// DomainAccessRequest asks for a public-sector e-mail domain to be approved, so that buyers with addresses
// in it can register. It is recorded as an application file of the domain-access service, with a review
// task for the administrators; their decision is announced to the requester.
type DomainAccessRequest struct {
	Email, Name, Organisation, Reason string
	Domain                            string // the e-mail's domain
}

// NewDomainAccessRequest checks a request as given: a valid e-mail whose domain is no personal webmail
// domain, a name, an organisation and a reason (every field problem is told at once).
func NewDomainAccessRequest(email, name, organisation, reason string, webmail Webmail) (DomainAccessRequest, error) {
	email, err := NormalizeEmail("email", email)
	if err != nil {
		return DomainAccessRequest{}, err
	}
	r := DomainAccessRequest{Email: email, Domain: EmailDomain(email)}
	var v []apierr.FieldViolation
	check := func(dst *string, field, given string, min, max int) {
		got, err := CheckText(field, given, min, max)
		if e, ok := apierr.As(err); ok {
			v = append(v, e.Violations...)
		}
		*dst = got
	}
	check(&r.Name, "name", name, 1, 200)
	check(&r.Organisation, "organisation", organisation, 1, 200)
	check(&r.Reason, "reason", reason, 1, 1000)
	if len(v) > 0 {
		return DomainAccessRequest{}, apierr.Invalid(ReasonInvalidField, "some fields are not valid: see details", v...)
	}
	if webmail.Contains(r.Domain) {
		return DomainAccessRequest{}, apierr.Invalid(ReasonWebmailDomain, r.Domain+" is a personal webmail domain: it cannot be approved as a public-sector "+
			"domain; request access with your organisation's work address",
			apierr.FieldViolation{Field: "email", Description: r.Domain + " is a personal webmail domain"})
	}
	return r, nil
}

// DomainAccessFromData reads a request back from its application file's form data (the e-form has only
// the e-mail, so the domain is derived from it when absent).
func DomainAccessFromData(data map[string]any) DomainAccessRequest {
	str := func(k string) string { v, _ := data[k].(string); return v }
	r := DomainAccessRequest{Email: str("email"), Name: str("name"), Organisation: str("organisation"),
		Reason: str("reason"), Domain: str("domain")}
	if r.Domain == "" {
		r.Domain = EmailDomain(EmailKey(r.Email))
	}
	return r
}

// Data is the request as its application file's form data.
func (r DomainAccessRequest) Data() map[string]any {
	return map[string]any{"email": r.Email, "name": r.Name, "organisation": r.Organisation, "reason": r.Reason, "domain": r.Domain}
}

// Requested is the request recorded as file fileID: the administrators (admins, their e-mail addresses)
// are told (DomainAccessRequested).
func (r DomainAccessRequest) Requested(fileID string, admins []string, now time.Time) DomainAccessRequested {
	return DomainAccessRequested{FileID: fileID, Request: r, AdministratorEmails: admins, At: now}
}

// Decide is an administrator's decision (a file status) on the request of file fileID. The requester is
// told (DomainAccessDecided); an approval carries registrationLink, the buyer registration page.
func (r DomainAccessRequest) Decide(fileID, status, comment, registrationLink string, now time.Time) (DomainAccessDecided, error) {
	if DecisionWord(status) == "" {
		return DomainAccessDecided{}, apierr.Invalid("INVALID_DECISION", "a domain-access request is decided with one of "+DecisionWords)
	}
	ev := DomainAccessDecided{FileID: fileID, Request: r, Approved: status == StatusApproved, Comment: comment, At: now}
	if ev.Approved {
		ev.RegistrationLink = registrationLink
	}
	return ev, nil
}
