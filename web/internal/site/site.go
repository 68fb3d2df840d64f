// Package site is the portal's web front end: server-rendered pages (html/template, GOV.UK Frontend styles)
// over the gateway's public REST API. Every journey works without JavaScript: each step is a link, a GET form
// or a POST form that redirects (post/redirect/get).
package site

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/web/internal/assets"
	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/i18n"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// Options are what the site needs.
type Options struct {
	API      *gatewayapi.Client
	Sessions *session.Store
	Cookies  session.Cookies
	Logger   *slog.Logger
	// Now is the clock (time.Now unless a test sets it).
	Now func() time.Time
	// Ready reports whether the gateway answers (for /readyz); nil means always ready.
	Ready func(*http.Request) error
	// OnMissingMessage is told of a message key a language lacks (tests fail on it); nil ignores them.
	OnMissingMessage func(lang, key string)
}

// Site serves the portal's pages.
type Site struct {
	api      *gatewayapi.Client
	sessions *session.Store
	cookies  session.Cookies
	log      *slog.Logger
	now      func() time.Time
	ready    func(*http.Request) error
	catalog  *i18n.Catalog
	views    *views
	assets   *assets.Server
	pages    []Page
}

// New builds the site: its message files, templates and pages.
func New(o Options) (*Site, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	cat.OnMissing = o.OnMissingMessage
	a, err := assets.New()
	if err != nil {
		return nil, err
	}
	v, err := parseViews(a)
	if err != nil {
		return nil, err
	}
	s := &Site{api: o.API, sessions: o.Sessions, cookies: o.Cookies, log: o.Logger, now: o.Now, ready: o.Ready,
		catalog: cat, views: v, assets: a}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.pages = s.allPages()
	return s, nil
}

// Pages are the registered pages (for tests and the navigation).
func (s *Site) Pages() []Page { return s.pages }

// Handler serves every page, the assets and the health endpoints.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", s.assets)
	mux.HandleFunc("GET /favicon.ico", s.assets.Favicon)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	for _, p := range s.pages {
		mux.Handle(p.Pattern, s.page(p))
	}
	mux.Handle("/", s.page(Page{Pattern: "/", Access: Public, Handle: s.notFound}))
	return s.recoverer(securityHeaders(s.accessLog(mux)))
}

func (s *Site) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		if err := s.ready(r); err != nil {
			http.Error(w, "the gateway does not answer", http.StatusServiceUnavailable)
			return
		}
	}
	_, _ = w.Write([]byte("ok\n"))
}
