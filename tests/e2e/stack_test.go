// Package e2e drives the use cases through the gateway's REST API, the way an integrator would: the whole
// stack runs in-process (internal/devstack, as `govstack dev`), against the real Postgres and an embedded
// NATS server.
package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

const client = "eGovStack/GOV/90000009/e2etests"

// stack is one running deployment shared by the tests of this package.
type stack struct {
	url, standalone string
	nats            *nats.Conn
	mail            *mailbox // the SMTP server the Messaging BB delivers to
	dev             *devstack.Stack
	server, prefix  string // the Postgres server and the prefix of the BBs' database names
	// stop stops the stack as SIGTERM does and returns what Run returned; the test's cleanup calls it too.
	stop func() error
}

// databaseURL is the URL of one BB's database (or the gateway's) on the test server.
func (s *stack) databaseURL(t *testing.T, bb string) string {
	t.Helper()
	u, err := url.Parse(s.server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + s.prefix + bb
	return u.String()
}

// startStack starts a stack of the test's own: its own databases (a random prefix), ports, data folder and
// mailbox. So the long tests run in parallel (t.Parallel; at most -parallel, GOMAXPROCS, stacks at once, about
// 30 PostgreSQL connections each); a test that sets environment variables (the kill test) or reads
// process-wide state (the tracing test) stays serial.
func startStack(t *testing.T) *stack { return startStackWith(t, nil) }

// startStackWith starts the stack with settings changed by tune (e.g. the gateway out of development mode).
func startStackWith(t *testing.T, tune func(*devstack.Config)) *stack {
	t.Helper()
	cfg, err := devstack.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	server := os.Getenv("GOVSTACK_TEST_DATABASE_URL")
	if server == "" {
		server = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	cfg.DatabaseURL = server
	cfg.DatabasePrefix = "e2e_" + hex.EncodeToString(suffix) + "_"
	cfg.DataDir = t.TempDir()
	cfg.OnFreePorts()
	// Registration: devstack points it at the in-process IM's gRPC listener, verifies its tokens in the other
	// BBs with its own JWKS, and makes its e-mailed links start at this gateway's /accounts. The administrator
	// is devstack.DevAdminEmail unless tune names another.
	cfg.Standalone = "registries=127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	mb, smtpAddr := startMailbox(t)
	cfg.Messaging.SMTPAddr, cfg.Messaging.SMTPTLS, cfg.Messaging.SMTPFrom = smtpAddr, "none", "appointments@govstack.example.org"
	cfg.Messaging.RetryBase = 200 * time.Millisecond
	if tune != nil {
		tune(&cfg)
	}

	ctx, cancel := context.WithCancel(context.Background())
	s, err := devstack.New(ctx, cfg, testLogger(t))
	if err != nil {
		cancel()
		t.Fatalf("start the stack: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stop := sync.OnceValue(func() error {
		cancel()
		return <-done
	})
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("stack stopped with: %v", err)
		}
		s.Close()
		for _, bb := range append(catalog.Names(), "gateway") {
			dropDatabase(t, server, cfg.DatabasePrefix+bb)
		}
	})
	st := &stack{url: s.URL(), standalone: s.StandaloneURL("registries"), nats: s.NATS(), mail: mb, dev: s,
		server: server, prefix: cfg.DatabasePrefix, stop: stop}
	st.waitReady(t)
	return st
}

func dropDatabase(t *testing.T, server, name string) {
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		t.Errorf("drop %s: %v", name, err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Errorf("drop %s: %v", name, err)
	}
}

func (s *stack) waitReady(t *testing.T) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := s.do(t, "GET", "/readyz", "", map[string]string{"Information-Mediator-Client": ""}) // as a probe: no identity
		if r.code == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gateway not ready after 30s: %d %s", r.code, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type response struct {
	code   int
	body   string
	header http.Header
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, r.body)
	}
	return v
}

// do sends one request to the main listener with the IM client header unless headers overrides it.
func (s *stack) do(t *testing.T, method, path, body string, headers map[string]string) response {
	return doURL(t, s.url, method, path, body, headers)
}

func doURL(t *testing.T, base, method, path, body string, headers map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Information-Mediator-Client", client)
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{code: resp.StatusCode, body: string(b), header: resp.Header}
}

// testLogger sends the stack's logs to the test log, so a failing test shows what the services said.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
