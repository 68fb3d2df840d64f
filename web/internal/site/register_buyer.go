package site

import (
	"net/http"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

var buyerFields = fieldMap{prefix: "buyer", fields: map[string]string{"email": "email", "name": "name", "organisation": "organisation"},
	reasons: map[string]reasonError{"DOMAIN_NOT_APPROVED": {"email", "buyer.email.domain_not_approved"}}}

var domainFields = fieldMap{prefix: "domain", fields: map[string]string{"email": "email", "name": "name",
	"organisation": "organisation", "reason": "reason"},
	reasons: map[string]reasonError{
		"WEBMAIL_DOMAIN":          {"email", "domain.email.webmail"},
		"DOMAIN_ALREADY_APPROVED": {"email", "domain.email.already_approved"},
	}}

func (s *Site) buyerPage(c *Ctx) { c.Render("register-buyer", "buyer.title", nil, nil) }

// registerBuyer registers a public-sector buyer. A domain that is not approved is the alternative course:
// the error links to the domain request, which starts with what the person typed here.
func (s *Site) registerBuyer(c *Ctx) {
	f := FormFrom(c.R.PostForm, "name", "organisation", "email")
	_, err := s.api.RegisterBuyer(c.R.Context(), gatewayapi.Buyer{Email: f.Value("email"), Name: f.Value("name"),
		Organisation: f.Value("organisation")})
	if err != nil {
		buyerFields.apply(c, f, err)
		notApproved := gatewayapi.ReasonOf(err) == "DOMAIN_NOT_APPROVED"
		if notApproved {
			c.Sess.Update(func(d *session.Data) {
				d.Prefill = map[string]string{"name": f.Value("name"), "organisation": f.Value("organisation"), "email": f.Value("email")}
			})
		}
		c.RenderStatus(http.StatusUnprocessableEntity, "register-buyer", "buyer.title", f, map[string]bool{"DomainRequest": notApproved})
		return
	}
	c.sentEmail(f.Value("email"), "activate")
}

// domainRequestPage starts with what the person typed in the buyer form, if they came from it.
func (s *Site) domainRequestPage(c *Ctx) {
	f := NewForm()
	for _, k := range []string{"name", "organisation", "email"} {
		f.Set(k, c.Data.Prefill[k])
	}
	c.Render("register-domain", "domain.title", f, nil)
}

// requestDomain asks the administrators to approve the person's e-mail domain.
func (s *Site) requestDomain(c *Ctx) {
	f := FormFrom(c.R.PostForm, "name", "organisation", "email", "reason")
	_, err := s.api.RequestDomainAccess(c.R.Context(), gatewayapi.DomainRequest{Email: f.Value("email"),
		Name: f.Value("name"), Organisation: f.Value("organisation"), Reason: f.Value("reason")})
	if err != nil {
		domainFields.apply(c, f, err)
		c.RenderStatus(http.StatusUnprocessableEntity, "register-domain", "domain.title", f, nil)
		return
	}
	c.Sess.Update(func(d *session.Data) { d.Prefill = nil })
	c.sentEmail(f.Value("email"), "domain")
}
