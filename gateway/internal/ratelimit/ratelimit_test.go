package ratelimit

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
)

func TestAllowPerClientWithRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	l := New(2, 3) // 2/s, bursts of 3
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("4th request: ok=%v wait=%v, want refused with a wait of at most 0.5 s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client is limited by a's bucket")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("a token should be back after 0.5 s at 2/s")
	}
}

func TestMiddleware429(t *testing.T) {
	l := New(1, 1)
	h := l.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	c := imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "app"}
	do := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r = r.WithContext(imident.NewContext(r.Context(), c))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := do(); w.Code != http.StatusNoContent {
		t.Fatalf("first request: %d", w.Code)
	}
	w := do()
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("second request: %d Retry-After=%q, want 429 with Retry-After 1", w.Code, w.Header().Get("Retry-After"))
	}
	// An anonymous caller from another address has its own bucket.
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.RemoteAddr = "192.0.2.7:1234"
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusNoContent {
		t.Fatalf("anonymous caller: %d", w.Code)
	}
}

func TestDisabled(t *testing.T) {
	l := New(0, 0)
	for range 1000 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("a disabled limiter refused a request")
		}
	}
}
