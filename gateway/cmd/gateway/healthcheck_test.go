package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			t.Errorf("healthcheck asked %s, want /healthz", r.URL.Path)
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	t.Setenv("GOVSTACK_HTTP_ADDR", strings.TrimPrefix(srv.URL, "http://"))
	if code := healthcheck(io.Discard); code != 0 {
		t.Fatalf("healthy gateway: exit %d, want 0", code)
	}
	status = http.StatusServiceUnavailable
	if code := healthcheck(io.Discard); code != 1 {
		t.Fatalf("unhealthy gateway: exit %d, want 1", code)
	}
	srv.Close()
	if code := healthcheck(io.Discard); code != 1 {
		t.Fatalf("gateway down: exit %d, want 1", code)
	}
}
