package site

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every POST needs the session's CSRF token: none, a wrong one, or another session's is refused with 403
// before anything is sent to the gateway.
func TestCSRFIsCheckedOnEveryPost(t *testing.T) {
	p := newPortal(t)
	p.get("/register/buyer")
	own := p.csrf
	other := newPortal(t)
	other.get("/register/buyer")
	form := func(token string) url.Values {
		return url.Values{"csrf_token": {token}, "name": {"Jane"}, "organisation": {"MoJ"}, "email": {"jane@moj.gov.example"}}
	}
	for _, token := range []string{"", "forged", own + "x", other.csrf} {
		p.post("/register/buyer", form(token)).want(t, http.StatusForbidden, "Your session has ended")
	}
	for _, path := range []string{"/sign-in", "/sign-out", "/activate", "/book", "/register/citizen", "/register/supplier"} {
		p.post(path, url.Values{"csrf_token": {"forged"}}).want(t, http.StatusForbidden)
	}
	if n := len(p.gw.calls("POST /accounts/buyers")); n != 0 {
		t.Fatalf("a refused form reached the gateway %d times", n)
	}
	p.post("/register/buyer", form(own)).redirect(t, "/check-email")
	// A session the store no longer has (ended) has no token to match.
	p.store.Delete(mustSessionID(t, p))
	p.post("/register/buyer", form(own)).want(t, http.StatusForbidden)
}

func mustSessionID(t *testing.T, p *portalUnderTest) string {
	t.Helper()
	u, _ := url.Parse(p.srv.URL)
	for _, c := range p.client.Jar.Cookies(u) {
		if c.Name == "portal_session" {
			if id, ok := p.site.cookies.Verify(c.Value); ok {
				return id
			}
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// Signing in keeps Registration's tokens server-side under a new session id; the cookie is HTTP-only,
// SameSite=Lax and carries no token; signing out revokes the refresh token and ends the session.
func TestSignInAndOut(t *testing.T) {
	p := newPortal(t)
	p.get("/sign-in")
	before := mustSessionID(t, p)
	a := p.post("/sign-in", url.Values{"email": {"mari.tamm@example.org"}, "password": {"a long and quiet evening walk"}})
	a.redirect(t, "/appointments")
	cookie := a.header.Get("Set-Cookie")
	for _, want := range []string{"portal_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("Set-Cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "access-1") || strings.Contains(cookie, "refresh-1") || strings.Contains(cookie, "Secure") {
		t.Errorf("Set-Cookie %q", cookie)
	}
	after := mustSessionID(t, p)
	if after == before {
		t.Error("signing in kept the session id")
	}
	if _, ok := p.store.Get(before); ok {
		t.Error("the session from before signing in still exists")
	}
	page := p.get("/appointments").want(t, http.StatusOK, "Signed in as Mari Tamm", "You are signed in.")
	if strings.Contains(page.body, "access-1") {
		t.Error("the page shows the access token")
	}
	if calls := p.gw.calls("GET /accounts/me"); len(calls) != 1 || calls[0].Authorization != "Bearer access-1" ||
		calls[0].Client != "GOVSTACK/GOV/GOVSTACK/portal" {
		t.Errorf("GET /accounts/me calls: %+v", calls)
	}
	if calls := p.gw.calls("GET /appointment/list_details"); len(calls) != 1 || calls[0].Authorization != "Bearer access-1" {
		t.Errorf("the appointments were not read with the person's token: %+v", calls)
	}
	p.post("/sign-out", nil).redirect(t, "/")
	if p.gw.signedOut == nil || p.gw.signedOut[0] != "refresh-1" {
		t.Errorf("sign-out revoked %v, want refresh-1", p.gw.signedOut)
	}
	p.get("/").want(t, http.StatusOK, "You have signed out.")
	p.get("/appointments").redirect(t, "/sign-in?next=%2Fappointments")
	if strings.Contains(p.logs.String(), "access-1") || strings.Contains(p.logs.String(), "refresh-1") ||
		strings.Contains(p.logs.String(), "evening walk") {
		t.Errorf("a token or password is in the log:\n%s", p.logs.String())
	}
}

// A wrong password is shown next to the e-mail field, the e-mail kept and the password not; the API's own
// words never reach the page.
func TestSignInErrors(t *testing.T) {
	p := newPortal(t)
	p.get("/sign-in")
	p.post("/sign-in", url.Values{}).want(t, http.StatusUnprocessableEntity, "Enter your email address", "Enter your password",
		`href="#f-email"`, `href="#f-password"`, "<title>Error:")
	p.gw.fail("POST /auth/token", fakeError{status: 401, code: "UNAUTHENTICATED", reason: "INVALID_CREDENTIALS"})
	a := p.post("/sign-in", url.Values{"email": {"mari@example.org"}, "password": {"wrong one"}})
	a.want(t, http.StatusUnprocessableEntity, "The email address or password is not right", `value="mari@example.org"`)
	if strings.Contains(a.body, "wrong one") || strings.Contains(a.body, "RAW-API-MESSAGE") {
		t.Errorf("the page shows the password or the API's message:\n%s", a.body)
	}
	p.gw.fail("POST /auth/token", fakeError{status: 429, code: "RESOURCE_EXHAUSTED", reason: "ACCOUNT_LOCKED"})
	p.post("/sign-in", url.Values{"email": {"mari@example.org"}, "password": {"x"}}).want(t, http.StatusUnprocessableEntity, "locked")
	p.gw.fail("POST /auth/token", fakeError{status: 503, code: "UNAVAILABLE"})
	p.post("/sign-in", url.Values{"email": {"mari@example.org"}, "password": {"x"}}).want(t, http.StatusUnprocessableEntity,
		"the service is unavailable", `value="mari@example.org"`)
	// next goes back where the person was going, and only on this site.
	p.gw.fail("POST /auth/token", fakeError{})
	delete(p.gw.errors, "POST /auth/token")
	p.get("/sign-in?next=%2Fappointments%2Fx")
	p.post("/sign-in", url.Values{"email": {"m@example.org"}, "password": {"x"}, "next": {"//evil.example/"}}).redirect(t, "/appointments")
}

// The access token is refreshed before it expires; of many concurrent requests of one person exactly one
// spends the refresh token (Registration revokes the family when a rotated token is used twice).
func TestRefreshBeforeExpiryOnce(t *testing.T) {
	p := newPortal(t)
	p.signIn()
	p.get("/appointments").want(t, http.StatusOK)
	if p.gw.refreshes != 0 {
		t.Fatalf("refreshed a fresh token %d times", p.gw.refreshes)
	}
	p.advance(15*time.Minute - 30*time.Second) // within a minute of expiry
	p.gw.refreshGate = make(chan struct{})
	const n = 20
	var started, done sync.WaitGroup
	started.Add(n)
	done.Add(n)
	codes := make(chan int, n)
	for range n {
		go func() {
			defer done.Done()
			started.Done()
			resp, err := p.client.Get(p.srv.URL + "/appointments")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	started.Wait()
	close(p.gw.refreshGate)
	done.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("a concurrent request got %d", c)
		}
	}
	if p.gw.refreshes != 1 {
		t.Fatalf("%d refreshes for %d concurrent requests, want 1", p.gw.refreshes, n)
	}
	calls := p.gw.calls("GET /appointment/list_details")
	if last := calls[len(calls)-1]; last.Authorization != "Bearer access-r1" {
		t.Errorf("after the refresh the page used %q", last.Authorization)
	}
	if r := p.gw.calls("POST /auth/refresh"); r[0].Body["refresh_token"] != "refresh-1" {
		t.Errorf("refreshed with %v", r[0].Body)
	}
}

// A refresh Registration refuses (a revoked family) signs the session out and asks to sign in again.
func TestRefusedRefreshSignsOut(t *testing.T) {
	p := newPortal(t)
	p.signIn()
	p.advance(20 * time.Minute)
	p.gw.fail("POST /auth/refresh", fakeError{status: 401, code: "UNAUTHENTICATED", reason: "INVALID_REFRESH_TOKEN"})
	p.get("/appointments").redirect(t, "/sign-in?next=%2Fappointments")
	p.get("/sign-in").want(t, http.StatusOK, "You have been signed out")
	// The gateway down with the token still valid: the page still works; expired: it says unavailable.
	p2 := newPortal(t)
	p2.signIn()
	p2.advance(14*time.Minute + 30*time.Second)
	p2.gw.fail("POST /auth/refresh", fakeError{status: 503, code: "UNAVAILABLE"})
	p2.get("/appointments").want(t, http.StatusOK)
	p2.advance(time.Minute)
	p2.get("/appointments").want(t, http.StatusServiceUnavailable, "the service is unavailable")
}

// The e-mailed link's token leaves the URL at once (kept in the session), never reaches a log, and the
// password form posts it to Registration; success leads to sign-in with the e-mail filled in.
func TestActivationLink(t *testing.T) {
	p := newPortal(t)
	p.get("/activate?token=good-token").redirect(t, "/activate")
	page := p.get("/activate").want(t, http.StatusOK, "Activate your account", `autocomplete="new-password"`)
	if strings.Contains(page.body, "good-token") {
		t.Error("the page carries the link token")
	}
	p.post("/activate", url.Values{"password": {"a long and quiet evening walk"}, "confirm": {"another"}}).
		want(t, http.StatusUnprocessableEntity, "The passwords do not match", `href="#f-confirm"`)
	p.gw.fail("POST /accounts/activate", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "WEAK_PASSWORD",
		violations: [][2]string{{"password", "at least 12 characters"}}})
	p.post("/activate", url.Values{"password": {"short"}, "confirm": {"short"}}).
		want(t, http.StatusUnprocessableEntity, "Choose a password of at least 12 characters", `href="#f-password"`)
	// The rule the API names gets the page's own words for it.
	p.gw.fail("POST /accounts/activate", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "WEAK_PASSWORD",
		violations: [][2]string{{"password", "too common"}}, rules: []string{"PASSWORD_TOO_COMMON"}})
	p.post("/activate", url.Values{"password": {"password1234"}, "confirm": {"password1234"}}).
		want(t, http.StatusUnprocessableEntity, "This password is too common")
	delete(p.gw.errors, "POST /accounts/activate")
	p.post("/activate", url.Values{"password": {"a long and quiet evening walk"}, "confirm": {"a long and quiet evening walk"}}).
		redirect(t, "/sign-in")
	if c := p.gw.calls("POST /accounts/activate"); c[len(c)-1].Body["token"] != "good-token" {
		t.Errorf("activated with %v", c[len(c)-1].Body)
	}
	p.get("/sign-in").want(t, http.StatusOK, "Your account is active", `value="mari.tamm@example.org"`)
	// Used: the token is gone from the session.
	p.get("/activate").want(t, http.StatusOK, "This link has expired")
	p.get("/activate?token=used-token").redirect(t, "/activate")
	p.get("/activate").want(t, http.StatusOK, "This link has expired")
	if strings.Contains(p.logs.String(), "good-token") || strings.Contains(p.logs.String(), "used-token") {
		t.Errorf("a link token is in the log:\n%s", p.logs.String())
	}
}

// Password reset: the request page always says the same; the reset link works like the activation link.
func TestPasswordReset(t *testing.T) {
	p := newPortal(t)
	p.get("/forgot-password")
	p.post("/forgot-password", url.Values{"email": {""}}).want(t, http.StatusUnprocessableEntity, "Enter your email address")
	p.post("/forgot-password", url.Values{"email": {"mari.tamm@example.org"}}).redirect(t, "/check-email")
	p.get("/check-email").want(t, http.StatusOK, "Check your email", "mari.tamm@example.org", "works for one hour")
	p.get("/reset-password?token=good-token").redirect(t, "/reset-password")
	p.get("/reset-password").want(t, http.StatusOK, "Choose a new password")
	p.post("/reset-password", url.Values{"password": {"a brand new long password"}, "confirm": {"a brand new long password"}}).
		redirect(t, "/sign-in")
	p.get("/sign-in").want(t, http.StatusOK, "Your password has been changed")
}
