package site

import (
	"net/url"

	"github.com/govstackbb/marketplace/web/internal/session"
)

// sentEmail ends a form that made Registration e-mail a link: the "check your e-mail" page, reached by a
// redirect (post/redirect/get) so that reloading it sends nothing again. kind is what the link is for:
// "activate", "reset" or "domain".
func (c *Ctx) sentEmail(email, kind string) {
	c.Sess.Update(func(d *session.Data) {
		if d.Prefill == nil {
			d.Prefill = map[string]string{}
		}
		d.Prefill["sentTo"], d.Prefill["sentKind"] = email, kind
	})
	c.Redirect("/check-email")
}

// checkEmailPage says where the link went and what to do with it.
func (s *Site) checkEmailPage(c *Ctx) {
	to, kind := c.Data.Prefill["sentTo"], c.Data.Prefill["sentKind"]
	if to == "" {
		c.Redirect("/")
		return
	}
	c.Render("check-email", "check_email.title", nil, map[string]string{"Email": to, "Kind": kind})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
