package gateway_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	h := newHarness(t, map[string]string{"GOVSTACK_GATEWAY_MAX_BODY_BYTES": "64"})

	t.Run("not found from the BB", func(t *testing.T) {
		e := wantError(t, h.call(t, "GET", "/data/missing/1.0", ""), http.StatusNotFound, "NOT_FOUND")
		want := []map[string]any{{"type": "errorInfo", "reason": "GOVSTACK_REGISTRIES_RECORD_NOT_FOUND", "domain": "govstack.registries"}}
		if e.Message != "no record matches the query" || !reflect.DeepEqual(e.Details, want) {
			t.Errorf("error = %+v", e)
		}
	})
	t.Run("invalid argument with field violations", func(t *testing.T) {
		e := wantError(t, h.call(t, "POST", "/data/invalid/1.0/create", `{"write":{"content":{}}}`),
			http.StatusBadRequest, "INVALID_ARGUMENT")
		want := []map[string]any{
			{"type": "fieldViolation", "field": "write.content.birthDate", "description": "must be a date"},
			{"type": "fieldViolation", "field": "write.content.name", "description": "is required"},
			{"type": "errorInfo", "reason": "GOVSTACK_REGISTRIES_SCHEMA_VIOLATION", "domain": "govstack.registries"},
		}
		if !reflect.DeepEqual(e.Details, want) {
			t.Errorf("details = %v\nwant %v", e.Details, want)
		}
	})
	t.Run("transport errors do not leak addresses", func(t *testing.T) {
		e := wantError(t, h.call(t, "GET", "/data/broken/1.0", ""), http.StatusServiceUnavailable, "UNAVAILABLE")
		if strings.Contains(e.Message, "10.0.0.7") {
			t.Errorf("message leaks the upstream address: %q", e.Message)
		}
	})
	t.Run("unknown route", func(t *testing.T) {
		for _, p := range []string{"/nope", "/data/patients", "/data/a/b/c/d/e/f/g", "/openapi/nope.json"} {
			wantError(t, h.call(t, "GET", p, ""), http.StatusNotFound, "NOT_FOUND")
		}
	})
	t.Run("wrong method", func(t *testing.T) {
		for _, tc := range []struct{ method, path, allow string }{
			{"PATCH", "/data/patients/1.0/create", "POST"},
			{"GET", "/data/patients/1.0/update-entries", "PUT"}, // aliases too
			{"PUT", "/database/7", "GET, DELETE"},
			{"POST", "/databases", "GET"},
			{"DELETE", "/healthz", "GET, HEAD"},
		} {
			r := h.call(t, tc.method, tc.path, "")
			wantError(t, r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("%s %s: Allow = %q, want %q", tc.method, tc.path, got, tc.allow)
			}
		}
	})
	t.Run("body too large", func(t *testing.T) {
		calls := h.fake.count()
		big := `{"write":{"content":{"name":"` + strings.Repeat("x", 100) + `"}}}`
		e := wantError(t, h.call(t, "POST", "/data/patients/1.0/create", big), http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE")
		if !strings.Contains(e.Message, "64 bytes") {
			t.Errorf("message %q does not give the limit", e.Message)
		}
		// Without Content-Length the limit trips while the body is decoded.
		wantError(t, h.call(t, "POST", "/data/patients/1.0/create", big, "chunked", "yes"),
			http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE")
		if h.fake.count() != calls {
			t.Error("an oversized request reached the BB")
		}
	})
	t.Run("malformed JSON", func(t *testing.T) {
		calls := h.fake.count()
		e := wantError(t, h.call(t, "POST", "/data/patients/1.0/create", `{"write":`), http.StatusBadRequest, "INVALID_ARGUMENT")
		if e.Message != "the request body is not valid JSON: the body ends before the JSON value is complete at offset 9" {
			t.Errorf("message = %q", e.Message)
		}
		e = wantError(t, h.call(t, "POST", "/data/patients/1.0/create", `{"write" 1}`), http.StatusBadRequest, "INVALID_ARGUMENT")
		if !strings.Contains(e.Message, "after object key at offset 9") {
			t.Errorf("message = %q", e.Message)
		}
		if h.fake.count() != calls {
			t.Error("a malformed request reached the BB")
		}
	})
	t.Run("unknown fields are ignored", func(t *testing.T) {
		// A tolerant reader (issue 11): the GovStack schemas do not forbid extra properties.
		r := h.call(t, "POST", "/data/patients/1.0/create", `{"wrte":{},"write":{"content":{"name":"Ada"}},"extra":[1,2]}`)
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	})
	t.Run("bad path parameter", func(t *testing.T) {
		wantError(t, h.call(t, "GET", "/database/seven", ""), http.StatusBadRequest, "INVALID_ARGUMENT")
	})
}

func TestRequestTimeoutIsTheUpstreamDeadline(t *testing.T) {
	// Long enough that the IM's own work (identity, rights, signing) fits even on a loaded machine; the fake
	// blocks until the deadline passes, so the answer is the 504 either way.
	h := newHarness(t, map[string]string{"GOVSTACK_GATEWAY_REQUEST_TIMEOUT": "2s"})
	wantError(t, h.call(t, "GET", "/data/slow/1.0", ""), http.StatusGatewayTimeout, "DEADLINE_EXCEEDED")
	if !h.fake.last(t).hasDeadline {
		t.Error("the upstream call had no deadline")
	}
}

func TestIdentityHeaders(t *testing.T) {
	h := newHarness(t, nil)
	for _, name := range []string{"X-GovStack-Client", "Information-Mediator-Client", "X-Road-Client", "x-road-client"} {
		t.Run(name, func(t *testing.T) {
			r := do(t, h.gw.Handler(), "GET", "/databases", "", name, client,
				"Grpc-Metadata-X-Govstack-Client", "XX/FAKE/1/spoof")
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if got := h.fake.last(t).md.Get("x-govstack-client"); !reflect.DeepEqual(got, []string{client}) {
				t.Errorf("x-govstack-client = %q, want exactly [%q]", got, client)
			}
		})
	}
	t.Run("several spellings, same client", func(t *testing.T) {
		r := do(t, h.gw.Handler(), "GET", "/databases", "", "X-Road-Client", client, "Information-Mediator-Client", " "+client)
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if got := h.fake.last(t).md.Get("x-govstack-client"); len(got) != 1 {
			t.Errorf("x-govstack-client = %q, want one value", got)
		}
	})
	t.Run("several spellings disagree", func(t *testing.T) {
		calls := h.fake.count()
		r := do(t, h.gw.Handler(), "GET", "/databases", "", "X-Road-Client", client, "X-GovStack-Client", "EE/GOV/2/other")
		e := wantError(t, r, http.StatusBadRequest, "INVALID_ARGUMENT")
		if !strings.Contains(e.Message, "different clients") || h.fake.count() != calls {
			t.Errorf("message %q, calls %d → %d", e.Message, calls, h.fake.count())
		}
	})
	t.Run("malformed is refused by the IM", func(t *testing.T) {
		calls := h.fake.count()
		r := do(t, h.gw.Handler(), "GET", "/databases", "", "Information-Mediator-Client", "not-an-identity")
		e := wantError(t, r, http.StatusBadRequest, "INVALID_ARGUMENT")
		if !strings.Contains(e.Message, "INSTANCE/CLASS/MEMBER/SUBSYSTEM") || h.fake.count() != calls {
			t.Errorf("message %q, BB calls %d → %d", e.Message, calls, h.fake.count())
		}
	})
	t.Run("absent stays absent", func(t *testing.T) {
		do(t, h.gw.Handler(), "GET", "/databases", "")
		if got := h.fake.last(t).md.Get("x-govstack-client"); len(got) != 0 {
			t.Errorf("x-govstack-client = %q, want none", got)
		}
	})
}

func TestRequestID(t *testing.T) {
	h := newHarness(t, nil)
	r := h.call(t, "GET", "/databases", "", "X-Request-Id", "abc-123")
	if r.header.Get("X-Request-Id") != "abc-123" || h.fake.last(t).md.Get("x-request-id")[0] != "abc-123" {
		t.Errorf("a sane caller id must be kept: header %q", r.header.Get("X-Request-Id"))
	}
	for _, bad := range []string{"has space", "line\tbreak", strings.Repeat("a", 200)} {
		r := h.call(t, "GET", "/databases", "", "X-Request-Id", bad)
		if got := r.header.Get("X-Request-Id"); got == bad || len(got) != 32 {
			t.Errorf("caller id %q: got %q, want a generated id", bad, got)
		}
	}
	if a, b := h.call(t, "GET", "/nope", ""), h.call(t, "GET", "/nope", ""); a.header.Get("X-Request-Id") == b.header.Get("X-Request-Id") {
		t.Error("generated ids repeat")
	}
}
