package gateway_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/gateway/internal/testpki"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/imclient"
	"github.com/govstackbb/marketplace/platform/imident"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// imHarness is a gateway in production mode (credentials required, deny by default) in front of the fake
// registries, with the IM registry at hand to issue keys and grant rights the way an operator would.
type imHarness struct {
	*harness
	cfg      gateway.Config
	registry *registry.Store
	deps     gateway.Deps
}

var (
	consumer = imident.Client{Instance: "EE", Class: "GOV", Member: "70000001", Subsystem: "app"}
	regRef   = registry.ServiceRef{Provider: imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registries"}, Code: "registries"}
)

func newIMHarness(t *testing.T, env map[string]string) *imHarness {
	t.Helper()
	f, hs, addr := startFake(t)
	all := map[string]string{"GOVSTACK_HTTP_ADDR": "127.0.0.1:0", "GOVSTACK_GRPC_ADDR": "127.0.0.1:0",
		"GOVSTACK_REGISTRIES_GRPC_ADDR": addr, "GOVSTACK_GATEWAY_BBS": "registries", "GOVSTACK_DATA_DIR": t.TempDir()}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.LoadFrom[gateway.Config](all)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	conn, err := gateway.Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	deps := testDeps(t)
	gw, err := gateway.New(context.Background(), cfg, deps, gateway.Upstream{BB: "registries", Conn: conn})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	noAudit := func(context.Context, pgx.Tx, string, string, string, any) error { return nil }
	return &imHarness{harness: &harness{gw: gw, fake: f, health: hs, logs: &bytes.Buffer{}}, cfg: cfg,
		registry: registry.New(deps.Pool, noAudit), deps: deps}
}

func (h *imHarness) key(t *testing.T, c imident.Client) string {
	t.Helper()
	if err := h.registry.RegisterSubsystem(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	key, _, err := h.registry.IssueAPIKey(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestIMAuthenticationAndRights(t *testing.T) {
	h := newIMHarness(t, nil)
	ctx := context.Background()
	key := h.key(t, consumer)
	get := func(path string, headers ...string) response {
		return do(t, h.gw.Handler(), "GET", path, "", headers...)
	}
	listDatabases := registriesv1.DatabasesService_ListDatabases_FullMethodName
	sub := registry.Subject{Client: consumer}

	if e := wantError(t, get("/databases"), http.StatusUnauthorized, "UNAUTHENTICATED"); !strings.Contains(e.Message, "authenticated client") {
		t.Errorf("anonymous: %q", e.Message)
	}
	wantError(t, get("/databases", "X-GovStack-Client", consumer.String()), http.StatusUnauthorized, "UNAUTHENTICATED")
	e := wantError(t, get("/databases", authn.APIKeyHeader, key), http.StatusForbidden, "PERMISSION_DENIED")
	if !strings.Contains(e.Message, listDatabases) {
		t.Errorf("denial should name the endpoint: %q", e.Message)
	}
	if h.fake.count() != 0 {
		t.Fatal("a refused call reached the BB")
	}

	if err := h.registry.Allow(ctx, sub, regRef, listDatabases); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/databases", "/r1/GOVSTACK/GOV/GOVSTACK/registries/registries/databases"} {
		if r := get(path, authn.APIKeyHeader, key, "X-GovStack-Client", consumer.String()); r.status != http.StatusOK {
			t.Fatalf("GET %s after the grant = %d %s", path, r.status, r.body)
		}
		if got := h.fake.last(t).md.Get("x-govstack-client"); len(got) != 1 || got[0] != consumer.String() {
			t.Errorf("the BB saw identity %q", got)
		}
		if got := h.fake.last(t).md.Get("x-govstack-api-key"); len(got) != 0 {
			t.Error("the API key reached the BB")
		}
	}
	// Granted one endpoint, not the others.
	wantError(t, get("/database/1", authn.APIKeyHeader, key), http.StatusForbidden, "PERMISSION_DENIED")
	// Another client's identity with this key.
	wantError(t, get("/databases", authn.APIKeyHeader, key, "X-GovStack-Client", "EE/GOV/1/other"), http.StatusForbidden, "PERMISSION_DENIED")

	if err := h.registry.Revoke(ctx, sub, regRef, listDatabases); err != nil {
		t.Fatal(err)
	}
	wantError(t, get("/databases", authn.APIKeyHeader, key), http.StatusForbidden, "PERMISSION_DENIED")

	if err := h.registry.Allow(ctx, sub, regRef, "*"); err != nil {
		t.Fatal(err)
	}
	if r := get("/database/1", authn.APIKeyHeader, key); r.status != http.StatusOK {
		t.Errorf("a grant on * should cover every endpoint: %d %s", r.status, r.body)
	}
	if err := h.registry.SetServiceEnabled(ctx, regRef.Provider, regRef.Code, false); err != nil {
		t.Fatal(err)
	}
	wantError(t, get("/r1/GOVSTACK/GOV/GOVSTACK/registries/registries/databases", authn.APIKeyHeader, key), http.StatusServiceUnavailable, "UNAVAILABLE")
	wantError(t, get("/r1/GOVSTACK/GOV/GOVSTACK/registries/nosuch/databases", authn.APIKeyHeader, key), http.StatusNotFound, "NOT_FOUND")
}

func TestIMRateLimit(t *testing.T) {
	h := newIMHarness(t, map[string]string{"GOVSTACK_GATEWAY_RATE_LIMIT": "0.5", "GOVSTACK_GATEWAY_RATE_BURST": "2"})
	key := h.key(t, consumer)
	if err := h.registry.Allow(context.Background(), registry.Subject{Client: consumer}, regRef, "*"); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if r := do(t, h.gw.Handler(), "GET", "/databases", "", authn.APIKeyHeader, key); r.status != http.StatusOK {
			t.Fatalf("request %d within the burst: %d %s", i+1, r.status, r.body)
		}
	}
	r := do(t, h.gw.Handler(), "GET", "/databases", "", authn.APIKeyHeader, key)
	wantError(t, r, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED")
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q", ra)
	}
}

// TestIMOverTLS serves REST and gRPC with TLS 1.3 and client certificates: a registered certificate is a
// credential on both front doors; BB-to-BB calls go through the IM's gRPC listener with platform/imclient.
func TestIMOverTLS(t *testing.T) {
	ca := testpki.New(t)
	server, clientCert := ca.Server(t), ca.Client(t, "app")
	h := newIMHarness(t, map[string]string{
		"GOVSTACK_GATEWAY_TLS_CERT_FILE": server.CertFile, "GOVSTACK_GATEWAY_TLS_KEY_FILE": server.KeyFile,
		"GOVSTACK_GATEWAY_TLS_CLIENT_CA_FILE": ca.CAFile,
	})
	ctx := context.Background()
	if err := h.registry.RegisterSubsystem(ctx, consumer); err != nil {
		t.Fatal(err)
	}
	if err := h.registry.RegisterCertificate(ctx, consumer, authn.Fingerprint(clientCert.DER)); err != nil {
		t.Fatal(err)
	}
	if err := h.registry.Allow(ctx, registry.Subject{Client: consumer}, regRef, "*"); err != nil {
		t.Fatal(err)
	}
	main, grpcLn := listen(t), listen(t)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.gw.Serve(runCtx, gateway.Listeners{Main: main, GRPC: grpcLn}) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})

	https := func(cfg *tls.Config) (*http.Response, error) {
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
		return c.Get("https://" + main.Addr().String() + "/databases")
	}
	res, err := https(&tls.Config{RootCAs: ca.Pool(), Certificates: []tls.Certificate{clientCert.TLS}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS.Version != tls.VersionTLS13 {
		t.Fatalf("with the client certificate: %d (TLS %x) %s", res.StatusCode, res.TLS.Version, body)
	}
	if res, err := https(&tls.Config{RootCAs: ca.Pool()}); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a credential: %v %v", res, err)
	}
	if _, err := https(&tls.Config{RootCAs: ca.Pool(), MaxVersion: tls.VersionTLS12}); err == nil {
		t.Error("a TLS 1.2 client was accepted; the minimum is 1.3")
	}

	// BB-to-BB: the same certificate authenticates a gRPC call through the IM.
	conn, err := imclient.Dial(imclient.Options{Addr: grpcLn.Addr().String(), Client: consumer,
		TLS: &tls.Config{RootCAs: ca.Pool(), Certificates: []tls.Certificate{clientCert.TLS}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := registriesv1.NewDatabasesServiceClient(conn).ListDatabases(ctx, &registriesv1.ListDatabasesRequest{}); err != nil {
		t.Fatalf("gRPC through the IM: %v", err)
	}
	other, err := imclient.Dial(imclient.Options{Addr: grpcLn.Addr().String(), Client: imident.Client{Instance: "EE", Class: "GOV", Member: "9", Subsystem: "x"},
		TLS: &tls.Config{RootCAs: ca.Pool(), Certificates: []tls.Certificate{clientCert.TLS}}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = registriesv1.NewDatabasesServiceClient(other).ListDatabases(ctx, &registriesv1.ListDatabasesRequest{})
	if status.Code(err) != codes.PermissionDenied {
		t.Errorf("a claim the certificate contradicts: %v", err)
	}

	// Every exchange is in the message log, and the chains verify.
	pool := h.deps.Pool
	deadline := time.Now().Add(10 * time.Second)
	var n int
	for time.Now().Before(deadline) {
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM im_msglog_record").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= 4 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n < 4 {
		t.Fatalf("%d message log records, want at least a request and a response for two calls", n)
	}
	var out bytes.Buffer
	if err := gateway.VerifyLog(ctx, h.cfg, pool, h.deps.JetStream, &out); err != nil {
		t.Errorf("verify-log: %v\n%s", err, out.String())
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func TestPushEndpointPolicy(t *testing.T) {
	for _, tc := range []struct {
		url string
		dev bool
		ok  bool
	}{
		{"http://127.0.0.1:9000/hook", false, false},
		{"http://localhost/hook", false, false},
		{"http://10.1.2.3/hook", false, false},
		{"http://[::1]/hook", false, false},
		{"ftp://93.184.215.14/x", false, false},
		{"https://93.184.215.14/hook", false, true},
		{"http://127.0.0.1:9000/hook", true, true},
	} {
		u, _ := url.Parse(tc.url)
		if err := gateway.PushEndpointPolicy(tc.dev)(u); (err == nil) != tc.ok {
			t.Errorf("%s (dev %v): %v, want ok=%v", tc.url, tc.dev, err, tc.ok)
		}
	}
}
