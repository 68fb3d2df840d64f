package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// Cookies writes and reads the session cookie: the session id and an HMAC of it under the portal's secret,
// so a guessed or tampered value is refused before the store is looked at.
type Cookies struct {
	secret []byte
	secure bool
	name   string
}

// NewCookies returns the cookie codec. secure adds the Secure attribute (and the __Host- prefix, which
// browsers accept only on a Secure, host-only cookie for path /).
func NewCookies(secret string, secure bool) Cookies {
	name := "portal_session"
	if secure {
		name = "__Host-portal_session"
	}
	return Cookies{secret: []byte(secret), secure: secure, name: name}
}

// Name is the cookie's name.
func (c Cookies) Name() string { return c.name }

// Set puts the session's cookie on w: HTTP-only, SameSite=Lax, no Max-Age (it ends with the browser; the
// store ends it earlier).
func (c Cookies) Set(w http.ResponseWriter, s *Session) {
	http.SetCookie(w, &http.Cookie{Name: c.name, Value: s.id + "." + c.mac(s.id), Path: "/",
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
}

// Clear removes the cookie.
func (c Cookies) Clear(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: c.name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
}

// ID returns the session id of the request's cookie when its HMAC is right.
func (c Cookies) ID(r *http.Request) (string, bool) {
	ck, err := r.Cookie(c.name)
	if err != nil {
		return "", false
	}
	return c.Verify(ck.Value)
}

// Verify checks a cookie value "id.mac" and returns the id.
func (c Cookies) Verify(value string) (string, bool) {
	id, mac, ok := strings.Cut(value, ".")
	if !ok || id == "" || len(value) > 200 {
		return "", false
	}
	if !hmac.Equal([]byte(mac), []byte(c.mac(id))) {
		return "", false
	}
	return id, true
}

func (c Cookies) mac(id string) string {
	h := hmac.New(sha256.New, c.secret)
	h.Write([]byte("portal-session-cookie\x00" + id))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// CSRFValid reports whether a form's token is the session's (in constant time).
func CSRFValid(s *Session, token string) bool {
	return s != nil && token != "" && hmac.Equal([]byte(token), []byte(s.csrf))
}
