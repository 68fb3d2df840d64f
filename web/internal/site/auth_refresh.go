package site

import (
	"net/http"
	"net/url"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// refreshMargin is how long before its expiry an access token is replaced: long enough that a page's
// calls, made after the check, do not carry a token that expires on the way.
const refreshMargin = time.Minute

// keepSignedIn refreshes the session's access token when it is about to expire. Under the session's lock,
// so of concurrent requests of one person exactly one spends the refresh token (Registration revokes the
// whole family when a rotated one is reused). It returns false when it has answered the request: the
// refresh was refused and the person must sign in again, or the gateway is down and the token has expired.
func (s *Site) keepSignedIn(c *Ctx) bool {
	var refused, unavailable bool
	c.Sess.Locked(func(d *session.Data) {
		if s.now().Add(refreshMargin).Before(d.AccessExpires) {
			return
		}
		t, err := s.api.Refresh(c.R.Context(), d.RefreshToken)
		switch {
		case err == nil:
			d.AccessToken, d.RefreshToken = t.AccessToken, t.RefreshToken
			d.AccessExpires = s.now().Add(time.Duration(t.ExpiresIn) * time.Second)
		case isUnavailable(err) && s.now().Before(d.AccessExpires):
			// The token still works for a moment; the next request tries again.
		case isUnavailable(err):
			unavailable = true
		default:
			s.log.Info("refresh refused: signing the session out", "error", err)
			refused = true
			*d = session.Data{Lang: d.Lang, Flash: "flash.session_ended"}
		}
	})
	c.Data = c.Sess.Read()
	switch {
	case refused:
		if c.page.Access.SignedIn {
			c.Redirect("/sign-in?next=" + url.QueryEscape(localPath(c.R)))
			return false
		}
	case unavailable:
		c.fail(http.StatusServiceUnavailable, "error.unavailable")
		return false
	}
	return true
}

func isUnavailable(err error) bool {
	e, ok := gatewayapi.As(err)
	return ok && e.Unavailable()
}
