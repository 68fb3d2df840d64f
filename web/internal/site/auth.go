package site

import (
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

var signInFields = fieldMap{prefix: "signin", fields: map[string]string{"email": "email", "password": "password"},
	reasons: map[string]reasonError{
		"INVALID_CREDENTIALS": {"email", "signin.email.wrong"},
		"ACCOUNT_LOCKED":      {"email", "signin.email.locked"},
	}}

func (s *Site) signInPage(c *Ctx) {
	f := NewForm().Set("next", SafeNext(c.R.URL.Query().Get("next"), ""))
	if email := c.Data.Prefill["email"]; email != "" {
		f.Set("email", email)
		c.Sess.Update(func(d *session.Data) { delete(d.Prefill, "email") })
	}
	c.Render("sign-in", "signin.title", f, nil)
}

// signIn exchanges the e-mail and password for Registration's tokens, keeps them in a new session (a new
// id: one seen before signing in is worth nothing after) and goes where the person was going.
func (s *Site) signIn(c *Ctx) {
	f := FormFrom(c.R.PostForm, "email", "password", "next")
	if f.Value("email") == "" {
		f.Fail("email", c.Loc.T("signin.email.required"))
	}
	if f.Value("password") == "" {
		f.Fail("password", c.Loc.T("signin.password.required"))
	}
	if !f.HasErrors() {
		if err := s.startSignedIn(c, f.Value("email"), f.Value("password")); err != nil {
			signInFields.apply(c, f, err)
		}
	}
	if f.HasErrors() {
		f.Set("password", "")
		c.RenderStatus(http.StatusUnprocessableEntity, "sign-in", "signin.title", f, nil)
		return
	}
	c.Redirect(SafeNext(f.Value("next"), s.landing(c)))
}

func (s *Site) startSignedIn(c *Ctx, email, password string) error {
	ctx := c.R.Context()
	t, err := s.api.SignIn(ctx, email, password)
	if err != nil {
		return err
	}
	me, err := s.api.Me(ctx, t.AccessToken)
	if err != nil {
		return err
	}
	expires := s.now().Add(time.Duration(t.ExpiresIn) * time.Second)
	c.Sess = s.sessions.Renew(c.Sess, func(d *session.Data) {
		*d = session.Data{Lang: d.Lang, AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, AccessExpires: expires,
			Account: session.Account{ID: me.ID, Email: me.Email, Name: me.Name, Roles: me.Roles, HospitalID: me.HospitalID,
				Organisation: me.Organisation},
			Flash: "flash.signed_in"}
	})
	s.cookies.Set(c.W, c.Sess)
	c.Data = c.Sess.Read()
	return nil
}

// landing is where a person goes after signing in when they were not on their way somewhere.
func (s *Site) landing(c *Ctx) string {
	switch {
	case c.Data.HasRole(roleAdmin):
		return "/admin/domain-requests"
	case c.Data.HasRole(roleStaff) && c.Data.Account.HospitalID != "":
		return "/hospital/today"
	case c.Data.HasRole(roleCitizen):
		return "/appointments"
	case c.Data.HasRole(roleBuyer):
		return "/buyer/tenders"
	case c.Data.HasRole(roleSupplier):
		return "/bids"
	}
	return "/"
}

// signOut revokes the refresh token at Registration and ends the session.
func (s *Site) signOut(c *Ctx) {
	if c.Data.RefreshToken != "" {
		if err := s.api.SignOut(c.R.Context(), c.Data.RefreshToken); err != nil {
			// The session ends here anyway; the refresh token expires on its own.
			s.log.Warn("sign-out at Registration failed", "error", err)
		}
	}
	c.Sess = s.sessions.Renew(c.Sess, func(d *session.Data) { *d = session.Data{Lang: d.Lang, Flash: "flash.signed_out"} })
	s.cookies.Set(c.W, c.Sess)
	c.Redirect("/")
}

// isStatus reports whether err is an API answer with status.
func isStatus(err error, status int) bool { return gatewayapi.StatusOf(err) == status }
