package main

import (
	"bytes"
	"strings"
	"testing"
)

type fakeStack struct{ dev bool }

func (fakeStack) URL() string                 { return "http://127.0.0.1:8080" }
func (fakeStack) StandaloneURL(string) string { return "" }
func (fakeStack) AdminEmail() string          { return "admin@govstack.example.org" }
func (f fakeStack) DevMode() bool             { return f.dev }

// The banner tells the truth about the mode: in development mode the header alone works; out of it, the
// first request needs a key and a right, and the banner says how to get them.
func TestBannerFollowsTheMode(t *testing.T) {
	var dev, prod bytes.Buffer
	printBanner(&dev, fakeStack{dev: true})
	printBanner(&prod, fakeStack{dev: false})
	if !strings.Contains(dev.String(), "development mode") || strings.Contains(dev.String(), "admin-key") {
		t.Errorf("development banner:\n%s", dev.String())
	}
	for _, want := range []string{"production mode", "go run ./cmd/govstack admin-key GOVSTACK/GOV/ADMIN/console",
		"/api/v1/clients/GOVSTACK:GOV:70000001:portal/apikeys", "/api/v1/rights/allow", "X-GovStack-Api-Key: $PORTAL_KEY"} {
		if !strings.Contains(prod.String(), want) {
			t.Errorf("production banner lacks %q:\n%s", want, prod.String())
		}
	}
	if strings.Contains(prod.String(), "trusted without credentials") {
		t.Errorf("production banner claims development mode:\n%s", prod.String())
	}
}
