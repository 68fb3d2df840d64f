package site

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/i18n"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// Page is one route of the portal. The pages are registered in one list (pages.go); a journey added later
// (the buyer's tenders, the supplier's bids, the administrator's dashboards) adds its pages and, where it
// belongs in the navigation, a Nav entry.
type Page struct {
	// Pattern is the net/http route, e.g. "GET /doctors".
	Pattern string
	// Access says who may open it; the rest are sent to sign in (or told they may not).
	Access Access
	Handle func(*Ctx)
	// Nav, when set, puts the page in the service navigation.
	Nav *Nav
	// Upload marks a POST whose form is multipart/form-data with a file of at most maxUploadBytes.
	Upload bool
}

// Nav is a page's entry in the service navigation.
type Nav struct {
	// Label is the message key of the link text.
	Label string
	// Path is the link.
	Path string
	// Order places it (lower first).
	Order int
}

// Access is who may open a page.
type Access struct {
	// SignedIn pages need a signed-in person; with Roles, one of those roles.
	SignedIn bool
	Roles    []string
	// SignedOut pages are for people not signed in (sign in, register); shown in the navigation only to them.
	SignedOut bool
	// Hospital pages are for staff of a hospital (an account with a hospital id), not for an administrator
	// who also holds the staff role.
	Hospital bool
}

// Public pages are open to anyone.
var Public = Access{}

// Role is a page for signed-in people with one of roles.
func Role(roles ...string) Access { return Access{SignedIn: true, Roles: roles} }

// allows reports whether the session's person may open a page with access a.
func (a Access) allows(d session.Data) bool {
	if !a.SignedIn {
		return true
	}
	if !d.SignedIn() || a.Hospital && d.Account.HospitalID == "" {
		return false
	}
	if len(a.Roles) == 0 {
		return true
	}
	for _, r := range a.Roles {
		if d.HasRole(r) {
			return true
		}
	}
	return false
}

// visibleTo reports whether the page's navigation entry is shown to the session's person.
func (a Access) visibleTo(d session.Data) bool {
	if a.SignedOut {
		return !d.SignedIn()
	}
	return a.allows(d)
}

// Ctx is one request to a page: the session (always there: it carries the CSRF token of every form), the
// language, and what the page answers with.
type Ctx struct {
	W    http.ResponseWriter
	R    *http.Request
	Sess *session.Session
	// Data is the session's data as the request began (refreshed tokens included).
	Data session.Data
	Loc  i18n.Localizer
	site *Site
	page Page
}

// maxFormBytes bounds a posted form: the longest is a domain request with its reason.
const maxFormBytes = 64 << 10

// maxUploadBytes bounds an upload form. It is well above Scheduling's 512 KiB per document, so that a file
// somewhat too large is read and refused next to its field rather than with an error page.
const maxUploadBytes = 2<<20 + maxFormBytes

// page wraps a page's handler: session, language, CSRF on every POST, access, token refresh.
func (s *Site) page(p Page) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store") // pages show personal data
		sess := s.loadSession(w, r)
		c := &Ctx{W: w, R: r, Sess: sess, site: s, page: p}
		c.Data = sess.Read()
		c.Loc = s.catalog.For(c.language())
		if r.Method == http.MethodPost {
			if err := parsePost(w, r, p.Upload); err != nil {
				s.log.Info("a form that cannot be read", "route", p.Pattern, "error", err)
				status := http.StatusBadRequest
				if isTooLarge(err) {
					status = http.StatusRequestEntityTooLarge
				}
				c.fail(status, "error.bad_request")
				return
			}
			if !session.CSRFValid(sess, r.PostForm.Get("csrf_token")) {
				c.fail(http.StatusForbidden, "error.csrf")
				return
			}
		}
		if c.Data.SignedIn() {
			if !s.keepSignedIn(c) {
				return
			}
		}
		if !p.Access.allows(c.Data) {
			if !c.Data.SignedIn() {
				c.Redirect("/sign-in?next=" + url.QueryEscape(localPath(r)))
				return
			}
			c.fail(http.StatusForbidden, "error.forbidden")
			return
		}
		p.Handle(c)
	})
}

// loadSession returns the request's session, or starts one (and sets its cookie).
func (s *Site) loadSession(w http.ResponseWriter, r *http.Request) *session.Session {
	if id, ok := s.cookies.ID(r); ok {
		if sess, ok := s.sessions.Get(id); ok {
			return sess
		}
	}
	sess := s.sessions.New()
	s.cookies.Set(w, sess)
	return sess
}

// language is the person's choice, else the browser's preference.
func (c *Ctx) language() string {
	if c.Data.Lang != "" {
		return c.Data.Lang
	}
	return i18n.Negotiate(c.R.Header.Get("Accept-Language"))
}

// Redirect answers 303 See Other: after a POST the browser GETs the next page (post/redirect/get).
func (c *Ctx) Redirect(path string) {
	http.Redirect(c.W, c.R, path, http.StatusSeeOther)
}

// Flash sets the message the next page shows once.
func (c *Ctx) Flash(key string, args ...string) {
	c.Sess.Update(func(d *session.Data) { d.Flash, d.FlashArgs = key, args })
}

// localPath is the request's path and query, to come back to after signing in.
func localPath(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	return r.URL.Path + "?" + r.URL.RawQuery
}

// SafeNext returns next when it is a path on this site ("/..." but not "//host" or "/\host"), else fallback:
// the sign-in page's next parameter must not send a person elsewhere.
func SafeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}

// parsePost reads a posted form within its size limit: a multipart one (with its file kept in memory) on an
// upload page, else a URL-encoded one. An upload page takes a URL-encoded form too — one without a file
// (the tender draft form is an upload page whose file is optional).
func parsePost(w http.ResponseWriter, r *http.Request, upload bool) error {
	if !upload {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		return r.ParseForm()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return r.ParseForm()
	}
	return r.ParseMultipartForm(maxUploadBytes)
}

// isTooLarge reports whether err is a body over its limit.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
