package gatewayapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDecodeError(t *testing.T) {
	body := `{"code":"INVALID_ARGUMENT","message":"a buyer needs …","details":[
		{"type":"errorInfo","reason":"GOVSTACK_REGISTRATION_INVALID_FIELD","domain":"govstack.registration"},
		{"type":"fieldViolation","field":"name","description":"required"},
		{"type":"fieldViolation","field":"citizen.email","description":"not valid","reason":"EMAIL_SYNTAX"},
		{"type":"somethingNew","x":1}, 7]}`
	e := DecodeError(400, []byte(body))
	if e.Status != 400 || e.Code != "INVALID_ARGUMENT" || e.Reason != "INVALID_FIELD" || len(e.Violations) != 2 ||
		e.Violations[1] != (Violation{"citizen.email", "not valid", "EMAIL_SYNTAX"}) {
		t.Errorf("decoded %+v", e)
	}
	if e := DecodeError(502, []byte("<html>bad gateway</html>")); e.Status != 502 || e.Reason != "" || !e.Unavailable() {
		t.Errorf("a proxy's page: %+v", e)
	}
	for _, tc := range []struct{ in, want string }{
		{"GOVSTACK_REGISTRATION_DOMAIN_NOT_APPROVED", "DOMAIN_NOT_APPROVED"},
		{"GOVSTACK_SCHEDULING_SLOT_ALREADY_BOOKED", "SLOT_ALREADY_BOOKED"},
		{"GOVSTACK_IM_CLIENT_MISSING", "CLIENT_MISSING"},
		{"OTHER", "OTHER"},
	} {
		if got := shortReason(tc.in); got != tc.want {
			t.Errorf("shortReason(%q) = %q", tc.in, got)
		}
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"code":"X","details":[{"type":"fieldViolation","field":"a"}]}`))
	f.Add(503, []byte(`not json`))
	f.Add(404, []byte(`{"details":[null,{},[]]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeError(status, body)
		if e == nil || e.Status != status {
			t.Fatalf("DecodeError(%d, %q) = %+v", status, body, e)
		}
		_ = e.Error()
	})
}

// Every call carries the portal's IM identity (and key), the person's bearer token when given, and the
// Idempotency-Key; an error names the route but never the query (which can carry a link token).
func TestCallHeadersAndErrors(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":"INVALID_ARGUMENT","details":[{"type":"errorInfo","reason":"GOVSTACK_REGISTRATION_INVALID_TOKEN"}]}`))
	}))
	defer srv.Close()
	c := New(srv.URL+"/", "GOVSTACK/GOV/GOVSTACK/portal", "gsim_key", time.Second)
	_, err := c.Book(context.Background(), "tok", "idem-1", "doc-kask", time.Date(2026, 12, 8, 7, 20, 0, 0, time.UTC), "")
	if got.Header.Get("X-GovStack-Client") != "GOVSTACK/GOV/GOVSTACK/portal" || got.Header.Get("X-GovStack-Api-Key") != "gsim_key" ||
		got.Header.Get("Authorization") != "Bearer tok" || got.Header.Get("Idempotency-Key") != "idem-1" ||
		got.Header.Get("Content-Type") != "application/json" || got.URL.Path != "/appointment/book" {
		t.Errorf("request %s %v", got.URL, got.Header)
	}
	if ReasonOf(err) != "INVALID_TOKEN" || StatusOf(err) != 400 {
		t.Errorf("error %v", err)
	}
	_, err = c.CheckLink(context.Background(), "secret-link-token")
	if got.URL.Query().Get("token") != "secret-link-token" || got.Header.Get("Authorization") != "" {
		t.Errorf("request %s %v", got.URL, got.Header)
	}
	if strings.Contains(err.Error(), "secret-link-token") {
		t.Errorf("the error shows the query: %v", err)
	}
	srv.Close()
	_, err = c.CheckLink(context.Background(), "secret-link-token")
	if e, ok := As(err); !ok || !e.Unavailable() || strings.Contains(err.Error(), "secret-link-token") {
		t.Errorf("a gateway that does not answer: %v", err)
	}
}

// A document as large as Registration takes comes back whole; an answer longer than the portal reads is
// refused, never cut short.
func TestLongAnswersAreReadWholeOrRefused(t *testing.T) {
	var size atomic.Int64
	size.Store(5 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(bytes.Repeat([]byte{'x'}, int(size.Load())))
	}))
	defer srv.Close()
	c := New(srv.URL+"/", "GOVSTACK/GOV/GOVSTACK/portal", "gsim_key", 5*time.Second)
	d, err := c.TenderDocument(context.Background(), "", "t-1", "doc-1")
	if err != nil || len(d.Content) != 5<<20 {
		t.Fatalf("a 5 MiB document: %d bytes, %v", len(d.Content), err)
	}
	size.Store(maxResponseBytes + 1)
	if _, err := c.TenderDocument(context.Background(), "", "t-1", "doc-1"); StatusOf(err) != http.StatusBadGateway {
		t.Fatalf("an answer past the limit: %v", err)
	}
}
