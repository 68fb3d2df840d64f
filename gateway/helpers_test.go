package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"google.golang.org/grpc/health"
)

// client is the identity the tests call with unless a test is about the identity header.
const client = "EE/GOV/70000001/app"

type harness struct {
	gw     *gateway.Gateway
	fake   *fakeRegistries
	health *health.Server
	logs   *bytes.Buffer
}

// newHarness starts the fake registries BB and a gateway in front of it; env overrides settings.
func newHarness(t *testing.T, env map[string]string) *harness {
	t.Helper()
	f, hs, addr := startFake(t)
	all := map[string]string{"GOVSTACK_HTTP_ADDR": "127.0.0.1:0", "GOVSTACK_GRPC_ADDR": "127.0.0.1:0",
		"GOVSTACK_REGISTRIES_GRPC_ADDR": addr, "GOVSTACK_GATEWAY_BBS": "registries",
		"GOVSTACK_GATEWAY_DEV_MODE": "true", "GOVSTACK_DATA_DIR": t.TempDir()}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.LoadFrom[gateway.Config](all)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	conn, err := gateway.Dial(context.Background(), addr)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	logs := &bytes.Buffer{} // written only from the test goroutine: handlers run inline under ServeHTTP
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	deps := testDeps(t)
	deps.Logger = log
	gw, err := gateway.New(context.Background(), cfg, deps, gateway.Upstream{BB: "registries", Conn: conn})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &harness{gw: gw, fake: f, health: hs, logs: logs}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do serves one request; headers are name, value pairs. A body of -1 length (chunked) is sent when the
// header list contains "chunked", "yes".
func do(t *testing.T, h http.Handler, method, target, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "chunked" {
			req.ContentLength = -1
			continue
		}
		req.Header.Add(headers[i], headers[i+1])
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// call serves a request to the main handler with the test identity.
func (h *harness) call(t *testing.T, method, target, body string, headers ...string) response {
	t.Helper()
	return do(t, h.gw.Handler(), method, target, body, append([]string{"X-GovStack-Client", client}, headers...)...)
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, b)
	}
	return v
}

// errorBody mirrors the gateway's error format.
type errorBody struct {
	Code      string           `json:"code"`
	Message   string           `json:"message"`
	Details   []map[string]any `json:"details"`
	RequestID string           `json:"requestId"`
}

// wantError checks the status and the error format every error shares, and returns the body.
func wantError(t *testing.T, r response, status int, code string) errorBody {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatalf("error body is not JSON: %s", r.body)
	}
	for _, k := range []string{"code", "message", "detail", "details", "requestId"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("error body lacks %q: %s", k, r.body)
		}
	}
	e := decode[errorBody](t, r.body)
	if e.Code != code {
		t.Errorf("code = %q, want %q (message %q)", e.Code, code, e.Message)
	}
	if e.Details == nil {
		t.Errorf("details = null, want an array: %s", r.body)
	}
	if string(raw["detail"]) != string(raw["message"]) {
		t.Errorf("detail %s differs from message %s", raw["detail"], raw["message"])
	}
	if e.RequestID == "" || e.RequestID != r.header.Get("X-Request-Id") {
		t.Errorf("requestId %q does not match X-Request-Id %q", e.RequestID, r.header.Get("X-Request-Id"))
	}
	return e
}

// testDeps gives a gateway its own migrated database and an embedded JetStream.
func testDeps(t *testing.T) gateway.Deps {
	t.Helper()
	_, js := natstest.Start(t)
	return gateway.Deps{Pool: pgtest.NewPool(t, gateway.Migrations()...), JetStream: js, Logger: slog.New(slog.DiscardHandler)}
}
