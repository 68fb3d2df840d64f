package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/assets"
	"github.com/govstackbb/marketplace/web/internal/i18n"
	"github.com/govstackbb/marketplace/web/internal/session"
)

//go:embed templates
var templateFS embed.FS

// views are the parsed templates: each page's file with the layout and the form partials.
type views struct {
	byName map[string]*template.Template
}

func parseViews(a *assets.Server) (*views, error) {
	funcs := template.FuncMap{"asset": a.URL, "add1": func(i int) int { return i + 1 },
		// key is a fresh idempotency key for one form: a key names one request.
		"key": newIdempotencyKey}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{byName: map[string]*template.Template{}}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(templateFS, p); err != nil {
			return nil, err
		}
		v.byName[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return v, nil
}

// View is what every template gets: the page's own data in Data, the form in Form, and what the layout
// needs (language, navigation, the person, the CSRF token).
type View struct {
	Lang     string
	Title    string // the page's <title> and heading key; "Error: " is added when the form has errors
	CSRF     string
	Path     string
	Nav      []NavLink
	Account  session.Account
	SignedIn bool
	Flash    string
	Langs    []LangLink
	Form     *Form
	Data     any
	loc      i18n.Localizer
}

// T is the text of key in the page's language.
func (v *View) T(key string, args ...any) string { return v.loc.T(key, args...) }

// NavLink is one link of the service navigation.
type NavLink struct {
	Text    string
	Href    string
	Current bool
}

// LangLink is one language of the language switch.
type LangLink struct {
	Lang, Text, Href string
	Current          bool
}

// Render writes the page template name with data (and form, which may be nil) as the answer, status 200.
func (c *Ctx) Render(name, title string, form *Form, data any) {
	c.RenderStatus(http.StatusOK, name, title, form, data)
}

// RenderStatus is Render with a status (422 for a form with errors, so tools see the refusal).
func (c *Ctx) RenderStatus(status int, name, title string, form *Form, data any) {
	t, ok := c.site.views.byName[name]
	if !ok {
		panic("no template " + name)
	}
	if form == nil {
		form = NewForm()
	}
	flash, args := c.Sess.TakeFlash()
	v := &View{Lang: c.Loc.Lang, Title: title, CSRF: c.Sess.CSRF(), Path: c.R.URL.Path, Nav: c.site.nav(c),
		Account: c.Data.Account, SignedIn: c.Data.SignedIn(), Langs: c.langLinks(), Form: form, Data: data, loc: c.Loc}
	if flash != "" {
		anyArgs := make([]any, len(args))
		for i, a := range args {
			anyArgs[i] = a
		}
		v.Flash = c.Loc.T(flash, anyArgs...)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		panic(fmt.Sprintf("render %s: %v", name, err)) // a template bug: the recoverer shows the error page
	}
	c.W.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.W.WriteHeader(status)
	_, _ = c.W.Write(buf.Bytes())
}

// langLinks switch the language and come back to this page.
func (c *Ctx) langLinks() []LangLink {
	back := "/"
	if c.R.Method == http.MethodGet {
		back = localPath(c.R)
	}
	var out []LangLink
	for _, l := range i18n.Languages {
		out = append(out, LangLink{Lang: l, Text: c.site.catalog.For(l).T("language.name"),
			Href: "/language/" + l + "?next=" + urlQueryEscape(back), Current: l == c.Loc.Lang})
	}
	return out
}

// nav is the service navigation for the person: the pages with a Nav entry they may see, in order.
func (s *Site) nav(c *Ctx) []NavLink {
	var entries []Page
	for _, p := range s.pages {
		if p.Nav != nil && p.Access.visibleTo(c.Data) {
			entries = append(entries, p)
		}
	}
	sortPagesByNav(entries)
	out := make([]NavLink, 0, len(entries))
	for _, p := range entries {
		out = append(out, NavLink{Text: c.Loc.T(p.Nav.Label), Href: p.Nav.Path,
			Current: c.R.URL.Path == p.Nav.Path || strings.HasPrefix(c.R.URL.Path, p.Nav.Path+"/")})
	}
	return out
}
