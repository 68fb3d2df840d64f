package directory_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/directory"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
)

var (
	admin    = client("GOVSTACK/GOV/ADMIN/console")
	provider = client("GOVSTACK/GOV/GOVSTACK/registries")
	portal   = client("GOVSTACK/GOV/70000001/portal")
	other    = client("GOVSTACK/GOV/70000002/app")
)

const (
	readRecord   = "/govstack.registries.v1.RegistriesService/ReadRecord"
	createRecord = "/govstack.registries.v1.RegistriesService/CreateRecord"
)

func client(s string) imident.Client {
	c, err := imident.Parse(s)
	if err != nil {
		panic(err)
	}
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// env is a registry with one BB service, an admin, and the directory mounted the way the gateway mounts it:
// next to the BB routing pattern and a catch-all REST mux.
type env struct {
	t     *testing.T
	store *registry.Store
	mux   *http.ServeMux
}

func newEnv(t *testing.T) *env { t.Helper(); return newEnvWith(t, nil) }

// newEnvWith is newEnv with the handler's settings changed by set (nil: none).
func newEnvWith(t *testing.T, set func(*directory.Handler)) *env {
	t.Helper()
	ctx := context.Background()
	store := registry.New(pgtest.NewPool(t, registry.Migrations()), nil)
	must(t, store.EnsureAdmin(ctx, admin))
	must(t, store.EnsureService(ctx, registry.Service{Provider: provider, Code: "registries", BB: "registries",
		GRPCAddr: "127.0.0.1:9001", OpenAPI: []byte(`{"swagger":"2.0","info":{"title":"registries"}}`), Enabled: true,
		Methods: []registry.Method{
			{FullName: readRecord, HTTPMethod: "POST", Path: "/data/{registryname}/{versionnumber}/read"},
			{FullName: createRecord, HTTPMethod: "POST", Path: "/data/{registryname}/{versionnumber}/create"},
		}}))
	must(t, store.RegisterMember(ctx, registry.Member{Instance: "GOVSTACK", Class: "GOV", Code: "70000001", Name: "Ministry of Interior"}))
	must(t, store.RegisterSubsystem(ctx, portal))
	must(t, store.RegisterSubsystem(ctx, other))
	mux := http.NewServeMux()
	h := &directory.Handler{Store: store, Instance: "GOVSTACK", Domain: "govstack.local"}
	if set != nil {
		set(h)
	}
	h.Register(mux)
	mux.Handle(mediate.RoutePattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Routed", "bb")
	}))
	mux.Handle("POST /r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}/api/v1/eventType", http.NotFoundHandler())
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Routed", "rest") }))
	return &env{t: t, store: store, mux: mux}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

// do sends a request as c (zero = anonymous), body marshalled to JSON unless it is a string.
func (e *env) do(method, path string, c imident.Client, body any) response {
	e.t.Helper()
	return e.doFor(method, path, c, "", body)
}

// doFor is do with a person's access token ("" for none) as Authorization: Bearer.
func (e *env) doFor(method, path string, c imident.Client, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		must(e.t, err)
		rd = strings.NewReader(string(raw))
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if !c.IsZero() {
		req = req.WithContext(imident.NewContext(req.Context(), c))
	}
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

func (e *env) expect(r response, status int, contains ...string) {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	for _, s := range contains {
		if !strings.Contains(r.body, s) {
			e.t.Fatalf("body %s does not contain %q", r.body, s)
		}
	}
}

func (e *env) allowed(c imident.Client, endpoint string) bool {
	e.t.Helper()
	d, err := e.store.Check(context.Background(), c, provider, "registries", endpoint)
	must(e.t, err)
	return d.Allowed
}
