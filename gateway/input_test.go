package gateway_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
)

// TestBadInputNamesTheField: text Postgres cannot store and values of the wrong type are refused by the
// gateway, before the BB is called, with a 400 whose details name the field as the client spelt it.
func TestBadInputNamesTheField(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct {
		name, method, target, body, field, want string
	}{
		{"NUL in a path parameter", "GET", "/data/pat%00ients/1.0", "", "registryName", "NUL"},
		{"invalid UTF-8 in a path parameter", "GET", "/data/patients/1.%ff", "", "versionNumber", "UTF-8"},
		{"NUL in a query parameter", "GET", "/data/patients/1.0?search=a%00b", "", "search", "NUL"},
		{"invalid UTF-8 in a map query parameter", "GET", "/data/patients/1.0?query.name=%c3", "", "query.name", "UTF-8"},
		{"a number out of range", "GET", "/data/patients/1.0?page=99999999999", "", "page", "from -2147483648 to 2147483647, got \"99999999999\""},
		{"not a number", "GET", "/data/patients/1.0?pageSize=ten", "", "pageSize", "whole number"},
		{"a parameter given twice", "GET", "/data/patients/1.0?page=1&page=2", "", "page", "given 2 times"},
		{"NUL in JSON", "POST", "/data/patients/1.0/create", `{"write":{"content":{"name":"Ada\u0000"}}}`, "write.content.name", "NUL"},
		{"invalid UTF-8 in JSON", "POST", "/data/patients/1.0/create", "{\"write\":{\"content\":{\"name\":\"Ada\xff\"}}}", "write.content.name", "UTF-8"},
		{"the wrong JSON type", "POST", "/data/patients/1.0/create", `{"write":{"content":"Ada"}}`, "write.content", "expected an object, got the string \"Ada\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := h.fake.count()
			e := wantError(t, h.call(t, tc.method, tc.target, tc.body), http.StatusBadRequest, "INVALID_ARGUMENT")
			if len(e.Details) == 0 || e.Details[0]["field"] != tc.field || !strings.Contains(e.Details[0]["description"].(string), tc.want) {
				t.Errorf("details = %v; want field %s: …%s…", e.Details, tc.field, tc.want)
			}
			if !strings.HasPrefix(e.Message, tc.field+": ") {
				t.Errorf("message %q does not start with the field", e.Message)
			}
			if h.fake.count() != calls {
				t.Error("the request reached the BB")
			}
		})
	}
}

func TestHeaderThatGRPCCannotCarry(t *testing.T) {
	h := newHarness(t, nil)
	e := wantError(t, h.call(t, "GET", "/databases", "", "requestUid", "r\xff1"), http.StatusBadRequest, "INVALID_ARGUMENT")
	if len(e.Details) == 0 || e.Details[0]["field"] != "requestUid" {
		t.Errorf("details = %v", e.Details)
	}
}

// Every header the IM reads or forwards is bounded and held to printable ASCII: an over-long or non-ASCII
// value is a 400 naming it, before the BB is called (a 64 KiB apiKey used to reach the BB's metadata, and a
// correlation id or Content-Type that is not ASCII was taken as it was).
func TestHeadersTheIMReadsAreBounded(t *testing.T) {
	h := newHarness(t, nil)
	long := strings.Repeat("k", 64<<10)
	for _, tc := range []struct{ header, value, want string }{
		{"apiKey", long, "at most 1024 bytes"},
		{"api_key", long, "at most 1024 bytes"},
		{"Authorization", "Bearer " + long, "at most 8192 bytes"},
		{"Idempotency-Key", strings.Repeat("k", 256), "at most 255 bytes"},
		{"requestUid", long, "at most 255 bytes"},
		{"X-Correlation-Id", long, "at most 255 bytes"},
		{"X-Correlation-Id", "Jõgeva", "printable ASCII"},
		{"Content-Type", "application/json; charset=\xff", "printable ASCII"},
		{"X-GovStack-Api-Key", long, "at most 1024 bytes"},
	} {
		t.Run(tc.header+" "+tc.want, func(t *testing.T) {
			calls := h.fake.count()
			e := wantError(t, h.call(t, "POST", "/data/patients/1.0/create", `{"write":{"content":{}}}`, tc.header, tc.value),
				http.StatusBadRequest, "INVALID_ARGUMENT")
			if len(e.Details) == 0 || e.Details[0]["field"] != tc.header || !strings.Contains(e.Message, tc.want) {
				t.Errorf("%s: details = %v", e.Message, e.Details)
			}
			if h.fake.count() != calls {
				t.Error("the request reached the BB")
			}
		})
	}
	if r := h.call(t, "POST", "/data/patients/1.0/create", `{"write":{"content":{}}}`, "Idempotency-Key", strings.Repeat("k", 255),
		"X-Correlation-Id", "corr-1"); r.status != http.StatusOK {
		t.Errorf("headers within the bounds: %d %s", r.status, r.body)
	}
}

func TestBodyContentTypes(t *testing.T) {
	h := newHarness(t, nil)
	const body = `{"write":{"content":{"name":"Ada"}}}`
	t.Run("curl -d sends JSON labelled as a form", func(t *testing.T) {
		r := h.call(t, "POST", "/data/patients/1.0/create", body, "Content-Type", "application/x-www-form-urlencoded")
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		got := h.fake.last(t).req.(*registriesv1.CreateRecordRequest).GetWrite().GetContent().GetFields()["name"].GetStringValue()
		if got != "Ada" {
			t.Errorf("the BB got name %q: the body was dropped", got)
		}
	})
	t.Run("no Content-Type is JSON", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/data/patients/1.0/create", strings.NewReader(body))
		req.Header.Set("X-GovStack-Client", client)
		rec := httptest.NewRecorder()
		h.gw.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if got := h.fake.last(t).req.(*registriesv1.CreateRecordRequest).GetWrite().GetContent().GetFields()["name"].GetStringValue(); got != "Ada" {
			t.Errorf("the BB got name %q", got)
		}
	})
	t.Run("another type is 415", func(t *testing.T) {
		e := wantError(t, h.call(t, "POST", "/data/patients/1.0/create", body, "Content-Type", "text/plain"),
			http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
		if !strings.Contains(e.Message, "Content-Type: application/json") {
			t.Errorf("message %q does not say what to send", e.Message)
		}
	})
}
