package site

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// portalUnderTest is the site over a fake gateway, and a browser: a cookie jar that does not follow
// redirects, so each test sees every answer.
type portalUnderTest struct {
	t       *testing.T
	gw      *fakeGateway
	srv     *httptest.Server
	site    *Site
	store   *session.Store
	client  *http.Client
	logs    *syncBuffer
	now     time.Time
	nowMu   sync.Mutex
	csrf    string // the CSRF token of the last page read
	lang    string
	missing []string
}

func newPortal(t *testing.T) *portalUnderTest {
	t.Helper()
	p := &portalUnderTest{t: t, gw: newFakeGateway(t), logs: &syncBuffer{}, now: time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)}
	p.store = session.NewStore(1000, 30*time.Minute, 12*time.Hour)
	var err error
	p.site, err = New(Options{API: gatewayapi.New(p.gw.srv.URL, "GOVSTACK/GOV/GOVSTACK/portal", "", 5*time.Second),
		Sessions: p.store, Cookies: session.NewCookies(strings.Repeat("s", 32), false),
		Logger: slog.New(slog.NewTextHandler(p.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: p.clock,
		OnMissingMessage: func(lang, key string) {
			p.nowMu.Lock()
			defer p.nowMu.Unlock()
			p.missing = append(p.missing, lang+":"+key)
		}})
	if err != nil {
		t.Fatal(err)
	}
	p.srv = httptest.NewServer(p.site.Handler())
	t.Cleanup(p.srv.Close)
	p.client = p.newClient()
	t.Cleanup(func() {
		if len(p.missing) > 0 {
			t.Errorf("message keys missing from the message files: %v", p.missing)
		}
	})
	return p
}

func (p *portalUnderTest) newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (p *portalUnderTest) clock() time.Time {
	p.nowMu.Lock()
	defer p.nowMu.Unlock()
	return p.now
}

func (p *portalUnderTest) advance(d time.Duration) {
	p.nowMu.Lock()
	defer p.nowMu.Unlock()
	p.now = p.now.Add(d)
}

// answer is one response as a test reads it.
type answer struct {
	status   int
	body     string
	location string
	header   http.Header
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (p *portalUnderTest) do(c *http.Client, method, path string, form url.Values) answer {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, p.srv.URL+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if p.lang != "" {
		req.Header.Set("Accept-Language", p.lang)
	}
	resp, err := c.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), header: resp.Header}
	if m := csrfField.FindStringSubmatch(a.body); m != nil {
		p.csrf = m[1]
	}
	return a
}

func (p *portalUnderTest) get(path string) answer { return p.do(p.client, http.MethodGet, path, nil) }

// post sends a form with the CSRF token of the last page read.
func (p *portalUnderTest) post(path string, form url.Values) answer {
	p.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", p.csrf)
	}
	return p.do(p.client, http.MethodPost, path, form)
}

// want checks an answer's status and that its body has each of texts.
func (a answer) want(t *testing.T, status int, texts ...string) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d (Location %q)\n%s", a.status, status, a.location, a.body)
	}
	for _, s := range texts {
		if !strings.Contains(a.body, s) {
			t.Errorf("the page lacks %q:\n%s", s, a.body)
		}
	}
	return a
}

// redirect checks a 303 to location.
func (a answer) redirect(t *testing.T, location string) {
	t.Helper()
	if a.status != http.StatusSeeOther || a.location != location {
		t.Fatalf("answer %d to %q, want 303 to %q\n%s", a.status, a.location, location, a.body)
	}
}

// signIn signs the portal's browser in as the fake gateway's citizen.
func (p *portalUnderTest) signIn() {
	p.t.Helper()
	p.get("/sign-in")
	p.post("/sign-in", url.Values{"email": {"mari.tamm@example.org"}, "password": {"a long and quiet evening walk"}}).
		redirect(p.t, "/appointments")
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
