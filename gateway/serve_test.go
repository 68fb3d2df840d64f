package gateway_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func TestHealth(t *testing.T) {
	h := newHarness(t, nil)
	if r := do(t, h.gw.Handler(), "GET", "/healthz", ""); r.status != 200 || string(r.body) != `{"status":"ok"}` {
		t.Errorf("/healthz = %d %s", r.status, r.body)
	}
	r := do(t, h.gw.Handler(), "GET", "/readyz", "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"registries":"SERVING"`) {
		t.Errorf("/readyz while serving = %d %s", r.status, r.body)
	}
	h.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	r = do(t, h.gw.Handler(), "GET", "/readyz", "")
	rep := decode[struct {
		Status   string   `json:"status"`
		NotReady []string `json:"notReady"`
	}](t, r.body)
	if r.status != http.StatusServiceUnavailable || !reflect.DeepEqual(rep.NotReady, []string{"registries"}) {
		t.Errorf("/readyz while not serving = %d %s", r.status, r.body)
	}
	// Alive regardless of the upstreams.
	if r := do(t, h.gw.Handler(), "GET", "/healthz", ""); r.status != 200 {
		t.Errorf("/healthz = %d", r.status)
	}
}

func TestDocs(t *testing.T) {
	h := newHarness(t, nil)
	r := do(t, h.gw.Handler(), "GET", "/openapi/registries.json", "")
	spec := decode[struct {
		Swagger string                    `json:"swagger"`
		Paths   map[string]map[string]any `json:"paths"`
	}](t, r.body)
	if r.status != 200 || spec.Swagger != "2.0" || spec.Paths["/data/{registryName}/{versionNumber}"]["get"] == nil {
		t.Errorf("/openapi/registries.json = %d, swagger %q, %d paths", r.status, spec.Swagger, len(spec.Paths))
	}

	// Every document is served as OpenAPI 3 too, with enum values spelt as the gateway reads and writes them.
	r = do(t, h.gw.Handler(), "GET", "/openapi/v3/scheduling.json", "")
	v3 := decode[struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			Schemas map[string]struct{ Enum []string } `json:"schemas"`
		} `json:"components"`
	}](t, r.body)
	if got := v3.Components.Schemas["v1AppointmentStatus"].Enum; r.status != 200 || !strings.HasPrefix(v3.OpenAPI, "3.") ||
		!reflect.DeepEqual(got, []string{"booked", "checkedIn", "cancelled"}) {
		t.Errorf("/openapi/v3/scheduling.json = %d, openapi %q, appointment statuses %v", r.status, v3.OpenAPI, got)
	}

	r = do(t, h.gw.Handler(), "GET", "/openapi", "")
	idx := decode[struct {
		BuildingBlocks []struct{ BB, OpenAPI, OpenAPI3 string } `json:"buildingBlocks"`
	}](t, r.body)
	var listed []string
	for _, b := range idx.BuildingBlocks {
		listed = append(listed, b.BB+"="+b.OpenAPI+","+b.OpenAPI3)
		if r := do(t, h.gw.Handler(), "GET", b.OpenAPI3, ""); r.status != 200 {
			t.Errorf("GET %s = %d", b.OpenAPI3, r.status)
		}
	}
	var want []string
	for _, name := range []string{"gateway", "messaging", "payments", "procurement", "registration", "registries", "scheduling", "workflow"} {
		want = append(want, name+"=/openapi/"+name+".json,/openapi/v3/"+name+".json")
	}
	if !reflect.DeepEqual(listed, want) {
		t.Errorf("/openapi lists %v, want %v", listed, want)
	}

	r = do(t, h.gw.Handler(), "GET", "/docs", "")
	page := string(r.body)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("/docs = %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, want := range []string{"/data/{registryName}/{versionNumber}/updateEntries", "/databases",
		"Information-Mediator-Client", "/data/{registryName}/{versionNumber}/update-entries", "fieldViolation",
		"GovStack Information Mediator", "/api/v1/config", "/r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}/pull/v1/{eventType}"} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs does not mention %q", want)
		}
	}
	// Example URLs in descriptions are text; nothing may be loaded from elsewhere.
	for _, bad := range []string{"<script", `src="http`, `href="http`, "url(http", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("/docs must be self-contained, but has %q", bad)
		}
	}

	r = do(t, h.gw.Handler(), "GET", "/", "")
	if r.status != http.StatusFound || r.header.Get("Location") != "/docs" {
		t.Errorf("/ = %d Location %q", r.status, r.header.Get("Location"))
	}
}

func TestMetricsAndLogs(t *testing.T) {
	h := newHarness(t, nil)
	h.call(t, "GET", "/data/patients/1.0?query.name=Secret-Person", "")
	r := do(t, h.gw.Handler(), "GET", "/metrics", "")
	want := `govstack_gateway_http_requests_total{method="GET",route="/data/{registry_name}/{version_number}",status="200"}`
	if r.status != 200 || !strings.Contains(string(r.body), want) {
		t.Errorf("/metrics lacks %s", want)
	}
	logs := h.logs.String()
	if strings.Contains(logs, "Secret-Person") || strings.Contains(logs, "patients") {
		t.Errorf("logs carry the path or query:\n%s", logs)
	}
	var line map[string]any
	for l := range strings.SplitSeq(strings.TrimSpace(logs), "\n") {
		if err := json.Unmarshal([]byte(l), &line); err == nil && line["route"] == "/data/{registry_name}/{version_number}" {
			break
		}
		line = nil
	}
	if line == nil || line["status"] != float64(200) || line["client"] != client || line["request_id"] == "" || line["method"] != "GET" {
		t.Errorf("request log line = %v\nlogs:\n%s", line, logs)
	}
}

func TestStandaloneHandler(t *testing.T) {
	h := newHarness(t, nil)
	sa, err := h.gw.StandaloneHandler("registries")
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, sa, "POST", "/data/patients/1.0/update-or-create", `{"query":{"content":{"ID":"1"}}}`, "X-Road-Client", client)
	if r.status != 200 || h.fake.last(t).method != "UpdateOrCreateRecord" {
		t.Errorf("standalone REST = %d %s", r.status, r.body)
	}
	if got := h.fake.last(t).md.Get("x-govstack-client"); !reflect.DeepEqual(got, []string{client}) {
		t.Errorf("x-govstack-client = %q", got)
	}
	if r := do(t, sa, "GET", "/healthz", ""); r.status != 200 {
		t.Errorf("/healthz = %d", r.status)
	}
	for _, p := range []string{"/docs", "/metrics", "/openapi"} {
		wantError(t, do(t, sa, "GET", p, ""), http.StatusNotFound, "NOT_FOUND")
	}
	if _, err := h.gw.StandaloneHandler("payments"); err == nil {
		t.Error("StandaloneHandler(payments) without an upstream: want an error")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct{ standalone, want string }{
		{"nosuchbb=127.0.0.1:3333", `GOVSTACK_GATEWAY_STANDALONE: unknown building block "nosuchbb"`},
		{"registries", "GOVSTACK_GATEWAY_STANDALONE: each entry must be bb=host:port"},
		{"registries=3333", "GOVSTACK_GATEWAY_STANDALONE: registries: must be host:port"},
		{"registries=:3333,registries=:3334", "GOVSTACK_GATEWAY_STANDALONE: registries is listed twice"},
		{"registries=127.0.0.1:8080", "already used by GOVSTACK_HTTP_ADDR"},
	} {
		_, err := config.LoadFrom[gateway.Config](map[string]string{"GOVSTACK_GATEWAY_STANDALONE": tc.standalone})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.standalone, err, tc.want)
		}
	}
	ok, err := config.LoadFrom[gateway.Config](map[string]string{"GOVSTACK_GATEWAY_STANDALONE": " registries = :3333 ,"})
	if err != nil {
		t.Errorf("valid setting refused: %v", err)
	}
	if got := ok.StandaloneListeners(); !reflect.DeepEqual(got, map[string]string{"registries": ":3333"}) {
		t.Errorf("StandaloneListeners = %v", got)
	}
	cfg, err := config.LoadFrom[gateway.Config](nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LogCheckpointInterval != 10*time.Second {
		t.Errorf("GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL defaults to %s, want 10s", cfg.LogCheckpointInterval)
	}
	cfg.MaxBodyBytes, cfg.LogLevel, cfg.LogCheckpointInterval = 0, "loud", 0
	err = cfg.Validate()
	for _, name := range []string{"GOVSTACK_GATEWAY_MAX_BODY_BYTES", "GOVSTACK_LOG_LEVEL", "GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("want %s named, got %v", name, err)
		}
	}
}

func TestNewRefusesStandaloneWithoutUpstream(t *testing.T) {
	cfg, err := config.LoadFrom[gateway.Config](map[string]string{"GOVSTACK_GATEWAY_STANDALONE": "registries=127.0.0.1:0",
		"GOVSTACK_GATEWAY_BBS": "registries", "GOVSTACK_DATA_DIR": t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gateway.New(context.Background(), cfg, testDeps(t)); err == nil || !strings.Contains(err.Error(), "GOVSTACK_GATEWAY_STANDALONE") {
		t.Errorf("New = %v, want an error naming GOVSTACK_GATEWAY_STANDALONE", err)
	}
}

func TestRun(t *testing.T) {
	_, _, addr := startFake(t)
	conn, err := gateway.Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	newGW := func(env map[string]string) *gateway.Gateway {
		env["GOVSTACK_GRPC_ADDR"], env["GOVSTACK_GATEWAY_BBS"], env["GOVSTACK_DATA_DIR"] = "127.0.0.1:0", "registries", t.TempDir()
		cfg, err := config.LoadFrom[gateway.Config](env)
		if err != nil {
			t.Fatal(err)
		}
		g, err := gateway.New(context.Background(), cfg, testDeps(t), gateway.Upstream{BB: "registries", Conn: conn})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}

	t.Run("port taken", func(t *testing.T) {
		g := newGW(map[string]string{"GOVSTACK_HTTP_ADDR": "127.0.0.1:0", "GOVSTACK_GATEWAY_STANDALONE": "registries=" + taken.Addr().String()})
		err := g.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "GOVSTACK_GATEWAY_STANDALONE registries") {
			t.Errorf("Run = %v, want a listen error naming the setting", err)
		}
	})
	t.Run("stops when the context ends", func(t *testing.T) {
		g := newGW(map[string]string{"GOVSTACK_HTTP_ADDR": "127.0.0.1:0", "GOVSTACK_GATEWAY_STANDALONE": "registries=127.0.0.1:0"})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := g.Run(ctx); err != nil {
			t.Errorf("Run = %v, want nil after a clean shutdown", err)
		}
	})
}
