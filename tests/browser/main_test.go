// Package browser walks the portal's journeys in headless Chromium (Debian's /usr/bin/chromium, driven by
// chromedp) against the real stack started in-process as `govstack dev` starts it: real Postgres, embedded
// NATS, every BB, the gateway and the portal, with the e-mails read from an SMTP server the test runs.
// axe-core (embedded, injected into each page) must find no WCAG 2.2 A/AA violation on any page.
//
// Screenshots go to docs/screenshots/ (shown in the README) when GOVSTACK_SCREENSHOTS=1 (make screenshots);
// otherwise into the test's temporary folder. GOVSTACK_BROWSER=skip skips the package (and says so) on a
// machine without Chromium; CI installs it (.ci/run).
package browser

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// env is the stack the package's tests share.
var env struct {
	portal  string
	gateway string // the gateway's REST base URL, for what a test sets up through the API
	mail    *mailbox
	err     error
}

func TestMain(m *testing.M) {
	if os.Getenv("GOVSTACK_BROWSER") == "skip" {
		fmt.Println("GOVSTACK_BROWSER=skip: the browser tests do not run")
		os.Exit(0)
	}
	stop, err := startStack()
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests: start the stack:", err)
		os.Exit(1)
	}
	code := m.Run()
	closeBrowser()
	stop()
	os.Exit(code)
}

// startStack starts govstack dev's stack on free ports with its own databases and an SMTP sink, and
// returns what stops it and drops the databases.
func startStack() (func(), error) {
	cfg, err := devstack.DefaultConfig()
	if err != nil {
		return nil, err
	}
	server := os.Getenv("GOVSTACK_TEST_DATABASE_URL")
	if server == "" {
		server = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	dataDir, err := os.MkdirTemp("", "browser-tests-")
	if err != nil {
		return nil, err
	}
	cfg.DatabaseURL, cfg.DatabasePrefix, cfg.DataDir = server, "browser_"+hex.EncodeToString(suffix)+"_", dataDir
	cfg.OnFreePorts()
	cfg.ShutdownTimeout = 5 * time.Second
	mb, smtpAddr, stopMail, err := startMailbox()
	if err != nil {
		return nil, err
	}
	cfg.Messaging.SMTPAddr, cfg.Messaging.SMTPTLS = smtpAddr, "none"
	cfg.Messaging.RetryBase = 200 * time.Millisecond
	cfg.Procurement.WorkingDay = procurementDay // the tender journey's periods pass in seconds
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	ctx, cancel := context.WithCancel(context.Background())
	s, err := devstack.New(ctx, cfg, log)
	if err != nil {
		cancel()
		stopMail()
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	env.portal, env.gateway, env.mail = s.PortalURL(), s.URL(), mb
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintln(os.Stderr, "browser tests: the stack stopped with:", err)
		}
		s.Close()
		stopMail()
		for _, bb := range append(catalog.Names(), "gateway") {
			dropDatabase(server, cfg.DatabasePrefix+bb)
		}
		_ = os.RemoveAll(dataDir)
	}
	if err := waitReady(s.URL()); err != nil {
		stop()
		return nil, err
	}
	return stop, nil
}

func dropDatabase(server, name string) {
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		fmt.Fprintln(os.Stderr, "drop", name, err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		fmt.Fprintln(os.Stderr, "drop", name, err)
	}
}
