package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/internal/pgcluster"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// pointDefaultAtNobody makes the address checked for a running server one where nothing listens, as on a
// machine with PostgreSQL installed but not running, without stopping this machine's server.
func pointDefaultAtNobody(t *testing.T) {
	t.Helper()
	saved := defaultServer
	defaultServer = func(string) string { return nobody }
	t.Cleanup(func() { defaultServer = saved })
}

func needBinaries(t *testing.T) {
	t.Helper()
	if _, err := pgcluster.FindBinaries(); err != nil {
		t.Skip("no PostgreSQL server binaries here, so no private cluster to start: " + err.Error())
	}
}

// The newcomer's `make run` (issue 14): GOVSTACK_DATABASE_URL unset and nothing answering at the default
// address, govstack dev starts the private cluster in the data folder, the stack comes up on it and the
// README's first requests answer 200; when the stack stops, so does the cluster, keeping its data.
func TestDevStartsAPrivateClusterAndAnswersTheFirstRequest(t *testing.T) {
	needBinaries(t)
	pointDefaultAtNobody(t)
	dataDir := t.TempDir()
	removeClusterAfter(t, filepath.Join(dataDir, "postgres"))
	t.Setenv("GOVSTACK_DATABASE_URL", "") // unset, as far as govstack is concerned
	t.Setenv("GOVSTACK_DATA_DIR", dataDir)
	// Free ports for everything, so the test runs beside a `make run` on the default ones.
	addrs := []string{"GOVSTACK_HTTP_ADDR", "GOVSTACK_GRPC_ADDR", "GOVSTACK_PORTAL_ADDR"}
	for _, bb := range catalog.All {
		addrs = append(addrs, bb.AddrEnv())
	}
	for _, v := range addrs {
		t.Setenv(v, "127.0.0.1:0")
	}
	t.Setenv("GOVSTACK_DEV_MAILBOX_ADDR", "127.0.0.1:0")
	unsetEnv(t, "GOVSTACK_MESSAGING_SMTP_ADDR") // no SMTP server named: the stack's own mailbox takes the e-mail
	cfg, err := config.Load[devstack.Config]()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	banner := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- runDev(ctx, cfg, banner, slog.New(slog.DiscardHandler)) }()

	var base string
	gateway := regexp.MustCompile(`REST gateway +(http://\S+)`)
	waitFor(t, 3*time.Minute, "the banner", done, func() bool {
		m := gateway.FindStringSubmatch(banner.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	})
	if want := "PostgreSQL          a private cluster in " + filepath.Join(dataDir, "postgres"); !strings.Contains(banner.String(), want) {
		t.Errorf("the banner does not say the private cluster is in use (%q):\n%s", want, banner.String())
	}
	waitFor(t, time.Minute, "/readyz", done, func() bool { return get(base+"/readyz", "") == 200 })

	// README.md "First request", as it stands.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const (
		client = "eGovStack/GOV/90000009/digitalregistries"
		create = `{"write":{"content":{"personalCode":"EE38001010001","firstName":"Mari","lastName":"Maasikas","birthDate":"1980-01-01","email":"mari@example.org"}}}`
		read   = `{"query":{"content":{"personalCode":"EE38001010001"}}}`
	)
	for _, want := range []string{client, "/data/public-sector-domains/1.0", "/data/citizens/1.0/create", create, "/data/citizens/1.0/read", read} {
		if !bytes.Contains(readme, []byte(want)) {
			t.Fatalf("README.md's first request no longer has %q: update this test with it", want)
		}
	}
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/data/public-sector-domains/1.0", ""},
		{"POST", "/data/citizens/1.0/create", create},
		{"POST", "/data/citizens/1.0/read", read},
	} {
		if code := do(r.method, base+r.path, client, r.body); code != 200 {
			t.Errorf("%s %s: %d, want 200", r.method, r.path, code)
		}
	}

	// The portal the banner names answers its start page, and finds the demo hospitals through the gateway.
	if m := regexp.MustCompile(`Portal +(http://\S+)`).FindStringSubmatch(banner.String()); m == nil {
		t.Errorf("the banner does not name the portal:\n%s", banner.String())
	} else if code := get(m[1]+"/doctors", ""); code != 200 {
		t.Errorf("the portal's GET /doctors: %d, want 200", code)
	}

	// A buyer registers through the API; the activation e-mail shows on the mailbox page the banner names,
	// its link to the portal's activation page clickable.
	mailbox := regexp.MustCompile(`E-mail +(http://\S+)`).FindStringSubmatch(banner.String())
	if mailbox == nil {
		t.Fatalf("the banner does not name the mailbox:\n%s", banner.String())
	}
	if code := do("POST", base+"/accounts/buyers", "", `{"email":"newcomer@moj.gov.example","name":"New Comer","organisation":"Ministry of Justice"}`); code != 200 {
		t.Fatalf("registering a buyer: %d, want 200", code)
	}
	activation := regexp.MustCompile(`<a href="http://[^"]+/activate\?token=[^"]+">`)
	waitFor(t, time.Minute, "the activation e-mail on the mailbox page", done, func() bool {
		return activation.MatchString(body(mailbox[1] + "/?to=newcomer@moj.gov.example"))
	})

	url, err := clusterURL(filepath.Join(dataDir, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("govstack dev stopped with: %v", err)
	}
	if answers(context.Background(), url) {
		t.Error("the private cluster still runs after the stack stopped")
	}
}

// `make test` runs the module tests under `govstack test-postgres`: with nothing at the default address and
// the variable unset, the command runs with GOVSTACK_TEST_DATABASE_URL naming the private test cluster
// (which the command can use), its exit code is passed on, and the cluster is stopped afterwards; a URL the
// user set is passed on as it is, and nothing is started.
func TestRunTestPostgres(t *testing.T) {
	if os.Getenv("GOVSTACK_TEST_POSTGRES_HELPER") != "" {
		return // the helper's own run; see TestHelperQueriesTheTestDatabase
	}
	needBinaries(t)
	pointDefaultAtNobody(t)
	dataDir := t.TempDir()
	removeClusterAfter(t, filepath.Join(dataDir, "postgres-test"))
	t.Setenv("GOVSTACK_TEST_DATABASE_URL", "")
	t.Setenv("GOVSTACK_TEST_POSTGRES_HELPER", "1")
	helper := []string{os.Args[0], "-test.run=^TestHelperQueriesTheTestDatabase$", "-test.count=1"}

	var out, errOut bytes.Buffer
	if code := runTestPostgres(helper, dataDir, &out, &errOut); code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "queried the test database") {
		t.Errorf("the command did not reach the test database:\n%s%s", out.String(), errOut.String())
	}
	if want := "tests use PostgreSQL: a private cluster in " + filepath.Join(dataDir, "postgres-test"); !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, errOut.String())
	}
	url, err := clusterURL(filepath.Join(dataDir, "postgres-test"))
	if err != nil {
		t.Fatal(err)
	}
	if answers(context.Background(), url) {
		t.Error("the private test cluster still runs after the command")
	}

	t.Setenv("GOVSTACK_TEST_POSTGRES_FAIL", "1")
	out.Reset()
	errOut.Reset()
	if code := runTestPostgres(helper, dataDir, &out, &errOut); code != 1 {
		t.Errorf("a failing command: exit %d, want its 1\n%s%s", code, out.String(), errOut.String())
	}
	t.Setenv("GOVSTACK_TEST_POSTGRES_FAIL", "")

	// A URL the user set is what the command gets, even one where nothing answers.
	t.Setenv("GOVSTACK_TEST_DATABASE_URL", nobody)
	t.Setenv("GOVSTACK_TEST_POSTGRES_WANT_URL", nobody)
	out.Reset()
	errOut.Reset()
	if code := runTestPostgres(helper, t.TempDir(), &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "the server you named") {
		t.Errorf("user-set URL: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}

// TestHelperQueriesTheTestDatabase is the command TestRunTestPostgres runs: it does nothing in a normal run.
func TestHelperQueriesTheTestDatabase(t *testing.T) {
	if os.Getenv("GOVSTACK_TEST_POSTGRES_HELPER") == "" {
		t.Skip("a helper process of TestRunTestPostgres")
	}
	url := os.Getenv("GOVSTACK_TEST_DATABASE_URL")
	if os.Getenv("GOVSTACK_TEST_POSTGRES_FAIL") != "" {
		t.Fatal("failing on purpose")
	}
	if want := os.Getenv("GOVSTACK_TEST_POSTGRES_WANT_URL"); want != "" {
		if url != want {
			t.Fatalf("GOVSTACK_TEST_DATABASE_URL = %q, want %q", url, want)
		}
		return
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("connect to GOVSTACK_TEST_DATABASE_URL: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE DATABASE helper_made_this"); err != nil {
		t.Fatalf("the tests must be able to create their databases: %v", err)
	}
	fmt.Println("queried the test database")
}

// clusterURL is the URL of the private cluster in dir.
func clusterURL(dir string) (string, error) {
	c, err := pgcluster.Open(dir)
	if err != nil {
		return "", err
	}
	return c.URL()
}

func get(url, client string) int { return do("GET", url, client, "") }

// body is what GET url answers ("" when it fails).
func body(url string) string {
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// unsetEnv removes name from the environment for the test, restoring it afterwards.
func unsetEnv(t *testing.T, name string) {
	t.Setenv(name, "") // records the old value for the restore
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

func do(method, url, client, body string) int {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0
	}
	if client != "" {
		req.Header.Set("Information-Mediator-Client", client)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// waitFor polls cond until it holds, the deadline passes, or the stack ends early.
func waitFor(t *testing.T, timeout time.Duration, what string, done <-chan error, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		select {
		case err := <-done:
			t.Fatalf("%s: govstack dev ended: %v", what, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer the stack writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
