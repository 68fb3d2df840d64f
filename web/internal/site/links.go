package site

import (
	"net/http"

	"github.com/govstackbb/marketplace/web/internal/session"
)

// The e-mailed links: Registration's <PUBLIC_URL>/activate?token=… and /reset-password?token=…, with
// PUBLIC_URL the portal. The token leaves the URL at once: it is kept in the session and the browser is sent
// to the same page without it, so it stays out of the history, logs and any Referer.

var passwordFields = fieldMap{prefix: "password", fields: map[string]string{"password": "password"},
	reasons: map[string]reasonError{"INVALID_TOKEN": {"password", "password.link_expired"}}}

// takeLinkToken moves ?token= into the session; it reports true when it has redirected.
func takeLinkToken(c *Ctx) bool {
	token := c.R.URL.Query().Get("token")
	if token == "" {
		return false
	}
	c.Sess.Update(func(d *session.Data) { d.LinkToken = token })
	c.Redirect(c.R.URL.Path)
	return true
}

func (s *Site) activatePage(c *Ctx) { s.linkPage(c, "activate", "activate.title") }

func (s *Site) resetPasswordPage(c *Ctx) { s.linkPage(c, "reset-password", "reset.title") }

// linkPage shows the set-a-password form of an activation or reset link, or says the link no longer works.
func (s *Site) linkPage(c *Ctx, view, title string) {
	if takeLinkToken(c) {
		return
	}
	if c.Data.LinkToken == "" {
		c.Render("link-expired", "link.expired_title", nil, nil)
		return
	}
	check, err := s.api.CheckLink(c.R.Context(), c.Data.LinkToken)
	if err != nil {
		c.apiFail(err)
		return
	}
	if !check.Valid {
		c.Render("link-expired", "link.expired_title", nil, nil)
		return
	}
	c.Render(view, title, nil, nil)
}

func (s *Site) activate(c *Ctx) {
	s.setPassword(c, "activate", "activate.title", "flash.activated", func(token, password string) (string, error) {
		a, err := s.api.Activate(c.R.Context(), token, password)
		return a.Email, err
	})
}

func (s *Site) resetPassword(c *Ctx) {
	s.setPassword(c, "reset-password", "reset.title", "flash.password_reset", func(token, password string) (string, error) {
		a, err := s.api.ResetPassword(c.R.Context(), token, password)
		return a.Email, err
	})
}

// setPassword posts the new password with the link's token; on success the person signs in with it.
func (s *Site) setPassword(c *Ctx, view, title, flash string, set func(token, password string) (string, error)) {
	f := FormFrom(c.R.PostForm, "password", "confirm")
	switch {
	case f.Value("password") == "":
		f.Fail("password", c.Loc.T("password.password.required"))
	case f.Value("confirm") != f.Value("password"):
		f.Fail("confirm", c.Loc.T("password.confirm.mismatch"))
	}
	if c.Data.LinkToken == "" {
		c.Render("link-expired", "link.expired_title", nil, nil)
		return
	}
	var email string
	if !f.HasErrors() {
		var err error
		if email, err = set(c.Data.LinkToken, f.Value("password")); err != nil {
			passwordFields.apply(c, f, err)
		}
	}
	if f.HasErrors() {
		f.Set("password", "").Set("confirm", "")
		c.RenderStatus(http.StatusUnprocessableEntity, view, title, f, nil)
		return
	}
	c.Sess.Update(func(d *session.Data) {
		d.LinkToken, d.Flash = "", flash
		d.Prefill = map[string]string{"email": email} // for the sign-in form: personal data stays out of URLs
	})
	c.Redirect("/sign-in")
}

func (s *Site) forgotPasswordPage(c *Ctx) {
	c.Render("forgot-password", "forgot.title", nil, nil)
}

// forgotPassword asks Registration to e-mail a reset link; the answer is the same whether or not the
// address has an account.
func (s *Site) forgotPassword(c *Ctx) {
	f := FormFrom(c.R.PostForm, "email")
	if f.Value("email") == "" {
		f.Fail("email", c.Loc.T("forgot.email.required"))
	} else if err := s.api.RequestPasswordReset(c.R.Context(), f.Value("email")); err != nil {
		fieldMap{prefix: "forgot", fields: map[string]string{"email": "email"}}.apply(c, f, err)
	}
	if f.HasErrors() {
		c.RenderStatus(http.StatusUnprocessableEntity, "forgot-password", "forgot.title", f, nil)
		return
	}
	c.sentEmail(f.Value("email"), "reset")
}
