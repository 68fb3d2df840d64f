package rest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestXMLUploadWrapsTheDocumentInJSON(t *testing.T) {
	const doc = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="x">"quoted"</bpmn:definitions>`
	var got any
	var contentType, query string
	h := XMLUpload(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got, contentType, query = nil, r.Header.Get("Content-Type"), r.URL.RawQuery
		_ = json.Unmarshal(body, &got)
	}))
	for _, ct := range []string{"application/xml", "text/xml; charset=utf-8", "application/bpmn+xml"} {
		r := httptest.NewRequest(http.MethodPost, "/processes/bpmn?version=2", strings.NewReader(doc)) // the query stays
		r.Header.Set("Content-Type", ct)
		h.ServeHTTP(httptest.NewRecorder(), r)
		if m, _ := got.(map[string]any); m["bpmnXml"] != doc || contentType != "application/json" || query != "version=2" {
			t.Fatalf("%s: handed on %v as %s (query %q)", ct, got, contentType, query)
		}
	}
	// JSON, and XML to other paths, pass unchanged.
	r := httptest.NewRequest(http.MethodPost, "/processes", strings.NewReader(`{"name":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if m, ok := got.(map[string]any); !ok || m["name"] != "x" {
		t.Fatalf("a JSON body was changed: %v", got)
	}
	r = httptest.NewRequest(http.MethodPost, "/data/x/1.0/create", strings.NewReader(doc))
	r.Header.Set("Content-Type", "application/xml")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != nil || contentType != "application/xml" {
		t.Fatalf("XML elsewhere was wrapped: %v %s", got, contentType)
	}
}
