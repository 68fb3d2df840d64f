package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/internal/pgcluster"
)

type fakeStack struct{ dev bool }

func (fakeStack) URL() string                 { return "http://127.0.0.1:8080" }
func (fakeStack) PortalURL() string           { return "http://127.0.0.1:8081" }
func (fakeStack) StandaloneURL(string) string { return "" }
func (fakeStack) AdminEmail() string          { return "admin@govstack.example.org" }
func (f fakeStack) DevMode() bool             { return f.dev }

// The banner tells the truth about the mode: in development mode the header alone works; out of it, the
// first request needs a key and a right, and the banner says how to get them.
func TestBannerFollowsTheMode(t *testing.T) {
	var dev, prod bytes.Buffer
	const pg = "a private cluster in /x/.govstack/postgres"
	printBanner(&dev, fakeStack{dev: true}, pg, "http://127.0.0.1:8025")
	printBanner(&prod, fakeStack{dev: false}, pg, "")
	for _, b := range []string{dev.String(), prod.String()} {
		if !strings.Contains(b, "PostgreSQL          "+pg) {
			t.Errorf("the banner does not say which PostgreSQL is in use:\n%s", b)
		}
		if !strings.Contains(b, "Portal              http://127.0.0.1:8081") {
			t.Errorf("the banner does not name the portal's URL:\n%s", b)
		}
	}
	if !strings.Contains(dev.String(), "E-mail              http://127.0.0.1:8025") || !strings.Contains(prod.String(), "E-mail              to GOVSTACK_MESSAGING_SMTP_ADDR") {
		t.Errorf("the banner does not say where the e-mail goes:\n%s\n%s", dev.String(), prod.String())
	}
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
	// The development banner names the demo accounts, their password and every demo tender's stage; the
	// production one none (the demo tenders are seeded in development mode only).
	for _, want := range []string{devstack.DemoPassword, devstack.DemoBuyers[2].Email, devstack.DemoSuppliers[0].Email,
		devstack.DemoTenders()[3].Title, devstack.DemoTenders()[1].Stage} {
		if !strings.Contains(dev.String(), want) {
			t.Errorf("development banner lacks %q", want)
		}
		if strings.Contains(prod.String(), want) {
			t.Errorf("production banner has %q", want)
		}
	}
}

// A URL the user set is used as it is and nothing is started; with none set and no server at the default
// address, the private cluster is started (and reused on the second run); its stop leaves the data.
func TestPostgresFor(t *testing.T) {
	ctx := t.Context()
	url, where, stop, err := postgresFor(ctx, "postgres://me:secret@db.example:5432/postgres", true, "unused", t.TempDir(), nil)
	stop()
	if err != nil || url != "postgres://me:secret@db.example:5432/postgres" || strings.Contains(where, "secret") ||
		!strings.Contains(where, "you named") {
		t.Fatalf("user-set URL: %q %q %v", url, where, err)
	}
	if _, err := pgcluster.FindBinaries(); err != nil {
		t.Skip("no PostgreSQL server binaries here, so no private cluster to start: " + err.Error())
	}
	dir := filepath.Join(t.TempDir(), "postgres")
	removeClusterAfter(t, dir)
	first, where, stop, err := postgresFor(ctx, "", false, nobody, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !answers(ctx, first) || !strings.Contains(where, "private cluster in "+dir) || strings.Contains(where, "postgres:") {
		t.Fatalf("private cluster: %q", where)
	}
	stop()
	if answers(ctx, first) {
		t.Fatal("the private cluster still answers after stop")
	}
	second, _, stop, err := postgresFor(ctx, "", false, nobody, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if second != first || !answers(ctx, second) {
		t.Fatalf("second run: %s (first %s)", redact(second), redact(first))
	}
}

// nobody is a server address where nothing listens (port 1).
const nobody = "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=1"

// removeClusterAfter deletes the private cluster of dir (stopped, its data included) when the test ends.
func removeClusterAfter(t *testing.T, dir string) {
	t.Helper()
	t.Cleanup(func() {
		c, err := pgcluster.Open(dir)
		if err == nil {
			err = c.Remove(context.Background())
		}
		if err != nil {
			t.Errorf("remove the private cluster in %s: %v", dir, err)
		}
	})
}
