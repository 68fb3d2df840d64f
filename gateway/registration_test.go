package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"
)

// regHarness is a gateway in front of the fake registries and the fake registration BBs.
type regHarness struct {
	gw   *gateway.Gateway
	reg  *fakeRegistration
	deps gateway.Deps
	cfg  gateway.Config
	ups  []gateway.Upstream
}

// newRegHarness starts both fakes and a gateway (development mode unless env says otherwise).
func newRegHarness(t *testing.T, env map[string]string) *regHarness {
	t.Helper()
	_, _, regAddr := startFake(t)
	f, addr := startFakeRegistration(t)
	all := map[string]string{"GOVSTACK_HTTP_ADDR": "127.0.0.1:0", "GOVSTACK_GRPC_ADDR": "127.0.0.1:0",
		"GOVSTACK_REGISTRIES_GRPC_ADDR": regAddr, "GOVSTACK_REGISTRATION_GRPC_ADDR": addr,
		"GOVSTACK_GATEWAY_BBS": "registries,registration", "GOVSTACK_GATEWAY_DEV_MODE": "true",
		"GOVSTACK_GATEWAY_STANDALONE": "registration=127.0.0.1:0", "GOVSTACK_DATA_DIR": t.TempDir()}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.LoadFrom[gateway.Config](all)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	h := &regHarness{reg: f, deps: testDeps(t), cfg: cfg}
	for bb, a := range map[string]string{"registries": regAddr, "registration": addr} {
		conn, err := gateway.Dial(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		h.ups = append(h.ups, gateway.Upstream{BB: bb, Conn: conn})
	}
	if h.gw, err = gateway.New(context.Background(), cfg, h.deps, h.ups...); err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

func TestRegistrationRoutes(t *testing.T) {
	h := newRegHarness(t, nil)
	for _, path := range []string{"/accounts/me", "/r1/GOVSTACK/GOV/GOVSTACK/registration/registration/accounts/me"} {
		if r := do(t, h.gw.Handler(), "GET", path, "", "X-GovStack-Client", client); r.status != http.StatusOK {
			t.Errorf("GET %s = %d %s", path, r.status, r.body)
		}
	}
	standalone, err := h.gw.StandaloneHandler("registration")
	if err != nil {
		t.Fatal(err)
	}
	if r := do(t, standalone, "GET", "/accounts/me", "", "X-GovStack-Client", client); r.status != http.StatusOK {
		t.Errorf("standalone GET /accounts/me = %d %s", r.status, r.body)
	}
	// Registries' /data/{registry}/{version} must not shadow Registration's statistics paths.
	for _, path := range []string{"/data/statistics", "/data/statistics/1.0"} {
		if r := do(t, h.gw.Handler(), "GET", path, "", "X-GovStack-Client", client); r.status != http.StatusOK || !strings.Contains(string(r.body), `"processed":7`) {
			t.Errorf("GET %s = %d %s, want Registration's statistics", path, r.status, r.body)
		}
	}
	if n := len(h.reg.calls()); n != 5 {
		t.Errorf("the registration BB got %d calls, want 5", n)
	}
}

func TestUserTokensAtTheGateway(t *testing.T) {
	h := newRegHarness(t, nil)
	get := func(auth string) response {
		return do(t, h.gw.Handler(), "GET", "/accounts/me", "", "X-GovStack-Client", client, "Authorization", auth)
	}
	good := h.reg.token(t, usertoken.RoleBuyer)

	r := get("Bearer " + good)
	if r.status != http.StatusOK {
		t.Fatalf("good token: %d %s", r.status, r.body)
	}
	calls := h.reg.calls()
	if got := calls[len(calls)-1].Get("authorization"); len(got) != 1 || got[0] != "Bearer "+good {
		t.Errorf("the BB saw authorization %q, want the token unchanged", got)
	}

	for name, auth := range map[string]string{
		"tampered":  "Bearer " + good[:len(good)-3] + "AAA",
		"garbage":   "bearer not.a.token",
		"other key": "Bearer " + newFakeSigner(t),
		"alg none":  "Bearer eyJhbGciOiJub25lIiwia2lkIjoidGVzdC1rZXktMSJ9.eyJzdWIiOiJhY2MtMSJ9.",
		"not a JWT": "Bearer " + strings.Repeat("x", 10),
	} {
		before := len(h.reg.calls())
		e := wantError(t, get(auth), http.StatusUnauthorized, "UNAUTHENTICATED")
		if e.Message != usertoken.InvalidMessage {
			t.Errorf("%s: message %q", name, e.Message)
		}
		if len(h.reg.calls()) != before {
			t.Errorf("%s: an invalid token reached the BB", name)
		}
	}

	// Signing in again while still sending an expired or foreign token is not refused at the gateway.
	for _, path := range []string{"/auth/token", "/r1/GOVSTACK/GOV/GOVSTACK/registration/registration/auth/token"} {
		r := do(t, h.gw.Handler(), "POST", path, `{}`, "X-GovStack-Client", client, "Authorization", "Bearer "+newFakeSigner(t))
		if r.status == http.StatusUnauthorized {
			t.Errorf("POST %s with a stale token = 401 at the gateway: %s", path, r.body)
		}
	}

	// Without a token nothing changes; another scheme is not a user token.
	if r := get(""); r.status != http.StatusOK {
		t.Errorf("no token: %d %s", r.status, r.body)
	}

	h.reg.keysDown.Store(true)
	tok := h.reg.token(t) // a fresh gateway must fetch the keys to check it
	h2, err := gateway.New(context.Background(), h.cfg, h.deps, h.ups...)
	if err != nil {
		t.Fatal(err)
	}
	r = do(t, h2.Handler(), "GET", "/accounts/me", "", "X-GovStack-Client", client, "Authorization", "Bearer "+tok)
	wantError(t, r, http.StatusServiceUnavailable, "UNAVAILABLE")
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

// newFakeSigner returns a well-formed token signed by a key the registration BB never published.
func newFakeSigner(t *testing.T) string {
	t.Helper()
	other, _ := startFakeRegistration(t)
	return other.token(t, usertoken.RoleAdmin)
}

func TestJWKSIsPublic(t *testing.T) {
	h := newRegHarness(t, map[string]string{"GOVSTACK_GATEWAY_DEV_MODE": "false"})
	standalone, err := h.gw.StandaloneHandler("registration")
	if err != nil {
		t.Fatal(err)
	}
	for name, handler := range map[string]http.Handler{"main": h.gw.Handler(), "standalone": standalone} {
		r := do(t, handler, "GET", gateway.JWKSPath, "") // no identity, no credential
		if r.status != http.StatusOK {
			t.Fatalf("%s: GET %s = %d %s", name, gateway.JWKSPath, r.status, r.body)
		}
		if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=60") {
			t.Errorf("%s: Cache-Control = %q", name, cc)
		}
		// The document is what a BB's verifier reads: a token of the fake verifies against it.
		v := usertoken.NewVerifier(usertoken.VerifierOptions{Keys: func(context.Context) ([]byte, error) { return r.body, nil }})
		if _, err := v.Verify(context.Background(), h.reg.token(t)); err != nil {
			t.Errorf("%s: a token does not verify with the published keys: %v\n%s", name, err, r.body)
		}
	}
}

// multipartBody builds an upload with two files, additionalMetadata and a field GovStack does not define.
func multipartBody(t *testing.T, pdf []byte) (body *bytes.Buffer, contentType string) {
	t.Helper()
	body = &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	fw, _ := mw.CreateFormFile("file", "scan.pdf")
	_, _ = fw.Write(pdf)
	fw, _ = mw.CreateFormFile("file", "photo.png")
	_, _ = fw.Write([]byte{0x89, 'P', 'N', 'G', 0, 1, 2})
	_ = mw.WriteField("additionalMetadata", `{"kind":"prescription"}`)
	_ = mw.WriteField("somethingElse", "ignored")
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return body, mw.FormDataContentType()
}

func postUpload(t *testing.T, h http.Handler, path string, body []byte, contentType string) response {
	t.Helper()
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-GovStack-Client", client)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func TestMultipartUpload(t *testing.T) {
	h := newRegHarness(t, map[string]string{"GOVSTACK_GATEWAY_MAX_BODY_BYTES": "1024", "GOVSTACK_GATEWAY_MAX_UPLOAD_BYTES": "65536"})
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 0xff, 'x'}, 4000)...) // binary, larger than MaxBodyBytes
	for _, path := range []string{"/documents", "/r1/GOVSTACK/GOV/GOVSTACK/registration/registration/documents"} {
		body, ct := multipartBody(t, pdf)
		r := postUpload(t, h.gw.Handler(), path, body.Bytes(), ct)
		if r.status != http.StatusOK {
			t.Fatalf("POST %s = %d %s", path, r.status, r.body)
		}
		up := h.reg.lastUpload(t)
		if len(up.GetFile()) != 2 || !bytes.Equal(up.GetFile()[0].GetContent(), pdf) || up.GetFile()[0].GetName() != "scan.pdf" ||
			up.GetFile()[1].GetName() != "photo.png" || up.GetAdditionalMetadata() != `{"kind":"prescription"}` {
			t.Fatalf("the BB got %d files, metadata %q", len(up.GetFile()), up.GetAdditionalMetadata())
		}
		if ct := up.GetFile()[0].GetContentType(); ct != "application/octet-stream" {
			t.Errorf("content type = %q", ct)
		}
	}

	body, ct := multipartBody(t, bytes.Repeat([]byte("x"), 70000))
	wantError(t, postUpload(t, h.gw.Handler(), "/documents", body.Bytes(), ct), http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE")

	e := wantError(t, postUpload(t, h.gw.Handler(), "/documents", []byte("--nope\r\nbroken"), "multipart/form-data; boundary=nope"),
		http.StatusBadRequest, "INVALID_ARGUMENT")
	if !strings.Contains(e.Message, "multipart") {
		t.Errorf("malformed upload: %q", e.Message)
	}
	// A JSON body keeps the ordinary limit.
	big, _ := json.Marshal(map[string]any{"file": []map[string]any{{"name": "a", "content": pdf}}})
	wantError(t, postUpload(t, h.gw.Handler(), "/documents", big, "application/json"), http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE")
}

func TestRetryAfterFromRetryInfo(t *testing.T) {
	h := newRegHarness(t, nil)
	r := do(t, h.gw.Handler(), "GET", "/services", "", "X-GovStack-Client", client)
	e := wantError(t, r, http.StatusServiceUnavailable, "UNAVAILABLE")
	if got := r.header.Get("Retry-After"); got != "3" {
		t.Errorf("Retry-After = %q, want 3 (2.5 s rounded up)", got)
	}
	if !strings.Contains(e.Message, "Digital Registries") {
		t.Errorf("message = %q", e.Message)
	}
}

func TestBBGrantsInProductionMode(t *testing.T) {
	h := newRegHarness(t, map[string]string{"GOVSTACK_GATEWAY_DEV_MODE": "false"})
	ctx := context.Background()
	store := registry.New(h.deps.Pool, nil)
	registration := imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registration"}
	registries := imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registries"}
	allowed := func(method string) bool {
		t.Helper()
		d, err := store.Check(ctx, registration, registries, "registries", "/govstack.registries.v1.RegistriesService/"+method)
		if err != nil {
			t.Fatal(err)
		}
		return d.Allowed
	}
	for _, m := range []string{"ReadRecord", "RecordExists", "CreateRecord", "UpdateRecord", "UpdateOrCreateRecord"} {
		if !allowed(m) {
			t.Errorf("registration may not call %s", m)
		}
	}
	if allowed("DeleteRecord") {
		t.Error("registration may call DeleteRecord, which it was never granted")
	}

	// An operator's revocation survives a restart: the grant is given once.
	ref := registry.ServiceRef{Provider: registries, Code: "registries"}
	if err := store.Revoke(ctx, registry.Subject{Client: registration}, ref, "/govstack.registries.v1.RegistriesService/CreateRecord"); err != nil {
		t.Fatal(err)
	}
	if _, err := gateway.New(ctx, h.cfg, h.deps, h.ups...); err != nil {
		t.Fatal(err)
	}
	if allowed("CreateRecord") {
		t.Error("a restart gave back the grant the operator revoked")
	}
	if !allowed("ReadRecord") {
		t.Error("a restart lost a grant")
	}
}
