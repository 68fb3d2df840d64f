package rest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
)

func TestDecodeJSONSaysWhatToFix(t *testing.T) {
	type service struct {
		Enabled *bool `json:"enabled"`
	}
	type conf struct {
		Domain   string    `json:"domain"`
		Services []service `json:"services"`
		Size     int32     `json:"size"`
	}
	for _, c := range []struct {
		body, contentType string
		status            int
		want              []string
	}{
		{`{"domain":"d","services":[{"enabled":"yes"}]}`, "application/json", 400, []string{`"field":"services.enabled"`, "expected true or false, got a string"}},
		{`{"domain":12}`, "", 400, []string{`"field":"domain"`, "expected a string, got a number"}},
		{`{"size":1e30}`, "application/json", 400, []string{`"field":"size"`, "expected a whole number in range, got the number 1e30"}},
		{`[1]`, "application/json", 400, []string{`"field":"(body)"`, "expected an object, got a list"}},
		{`{"domain":`, "application/json", 400, []string{"not valid JSON", "at offset"}},
		{`{"domain":"a\u0000b"}`, "application/json", 400, []string{`"field":"domain"`, "NUL"}},
		{"{\"x\":{\"k\":\"a\xffb\"}}", "application/json", 400, []string{`"field":"x.k"`, "UTF-8"}},
		{``, "application/json", 400, []string{"empty"}},
		{`domain=d`, "text/plain", 415, []string{"application/json"}},
		{`{"domain":"` + strings.Repeat("a", 200) + `"}`, "application/json", 413, []string{"PAYLOAD_TOO_LARGE"}},
	} {
		req := httptest.NewRequest("POST", "/x", strings.NewReader(c.body))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		rec := httptest.NewRecorder()
		var v conf
		if DecodeJSON(rec, req, 100, &v) {
			t.Errorf("%q accepted as %+v", c.body, v)
			continue
		}
		if rec.Code != c.status {
			t.Errorf("%q: status %d, want %d: %s", c.body, rec.Code, c.status, rec.Body)
		}
		for _, w := range c.want {
			if !strings.Contains(rec.Body.String(), w) {
				t.Errorf("%q: %s lacks %q", c.body, rec.Body, w)
			}
		}
		if strings.Contains(rec.Body.String(), "json:") || strings.Contains(rec.Body.String(), "Go struct") {
			t.Errorf("%q: the answer uses the parser's words: %s", c.body, rec.Body)
		}
	}
	req := httptest.NewRequest("POST", "/x", strings.NewReader(`{"domain":"d","unknown":1}`))
	var v conf
	if !DecodeJSON(httptest.NewRecorder(), req, 100, &v) || v.Domain != "d" {
		t.Errorf("a body with an unknown field: %+v", v)
	}
}

func TestCheckTextNamesTheParameter(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /groups/{group}", CheckText("GET /groups/{group}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	for target, want := range map[string]string{"/groups/a%00b": `"field":"group"`, "/groups/a?page=%ff": `"field":"page"`, "/groups/ok": ""} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		switch {
		case want == "" && rec.Code != http.StatusNoContent:
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		case want != "" && (rec.Code != 400 || !strings.Contains(rec.Body.String(), want)):
			t.Errorf("%s: %d %s, want 400 with %s", target, rec.Code, rec.Body, want)
		}
	}
}

// Every "try again" answer says when, whoever writes it: a second unless the cause said otherwise.
func TestEvery503SaysWhenToRetry(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, httptest.NewRequest("GET", "/x", nil), http.StatusServiceUnavailable, codes.Unavailable, "down")
	if got := rec.Header().Get("Retry-After"); got != "1" {
		t.Errorf("503 Retry-After = %q, want 1", got)
	}
	rec = httptest.NewRecorder()
	SetRetryAfter(rec, 5*time.Second)
	WriteError(rec, httptest.NewRequest("GET", "/x", nil), http.StatusServiceUnavailable, codes.Unavailable, "down")
	if got := rec.Header().Get("Retry-After"); got != "5" {
		t.Errorf("503 with its own delay: Retry-After = %q, want 5", got)
	}
}
