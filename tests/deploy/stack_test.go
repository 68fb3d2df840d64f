package deploy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/nats-io/nats-server/v2/server"
)

// TestComposeStackOutsideContainers builds every binary and runs them the way docker-compose.yml does — same
// subcommands, same environment and the same health-check commands — with container host names replaced by
// loopback addresses, Postgres by the test server and NATS by an in-process server. The gateway runs as in
// production (credentials required): Registration's IM key is issued with `gateway issue-key`, as the compose
// file tells the operator to, an admin key with `gateway admin-key`, rights granted through the configuration
// API; a record goes through the gateway to the registries BB and back, and Registration's e-services are
// listed through it.
func TestComposeStackOutsideContainers(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the binaries")
	}
	c := loadCompose(t)
	bins := buildBinaries(t)
	rewrite := addressRewriter(t)

	dotEnv := map[string]string{} // what the operator puts in .env
	envOf := func(service string) []string {
		env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		for k, v := range c.Services[service].Environment {
			if x, ok := dotEnv[k]; ok {
				v = x
			}
			env = append(env, k+"="+rewrite(k, interpolate(v)))
		}
		return env
	}
	bbs := append(catalog.Names(), "gateway")
	for _, bb := range bbs { // the one-shot steps, in compose's dependency order
		for _, step := range []string{bb + "-migrate", bb + "-seed"} {
			if svc, ok := c.Services[step]; ok {
				runToEnd(t, bins[bb], svc.Command, envOf(step))
			}
		}
	}
	dotEnv["GOVSTACK_REGISTRATION_IM_API_KEY"] = issueKey(t, bins["gateway"], "issue-key", "GOVSTACK/GOV/GOVSTACK/registration", envOf("gateway"))
	dotEnv["GOVSTACK_RAILSIM_CALLBACK_API_KEY"] = issueKey(t, bins["gateway"], "issue-key",
		c.Services["railsim"].Environment["GOVSTACK_RAILSIM_CALLBACK_CLIENT"], envOf("gateway"))
	var procs []*proc
	for _, cmd := range commands { // the rail simulator, before the Payments that waits for it
		procs = append(procs, start(t, bins[cmd.name], c.Services[cmd.name].Command, envOf(cmd.name)))
		waitHealthy(t, bins, cmd.name, c.Services[cmd.name], envOf(cmd.name))
	}
	for _, bb := range bbs {
		procs = append(procs, start(t, bins[bb], c.Services[bb].Command, envOf(bb)))
		waitHealthy(t, bins, bb, c.Services[bb], envOf(bb))
	}

	base := "http://" + rewrite("GOVSTACK_HTTP_ADDR", "0.0.0.0:8080")
	alone := "http://" + strings.TrimPrefix(rewrite("GOVSTACK_GATEWAY_STANDALONE", "registries=0.0.0.0:3333"), "registries=")
	if code, body := call(t, http.MethodGet, base+"/readyz", "", map[string]string{}); code != 200 {
		t.Fatalf("GET /readyz = %d %s", code, body)
	}
	admin := c.Services["gateway"].Environment["GOVSTACK_GATEWAY_ADMIN_CLIENTS"]
	key := issueKey(t, bins["gateway"], "admin-key", admin, envOf("gateway"))
	auth := map[string]string{"X-GovStack-Client": admin, "X-GovStack-Api-Key": key}
	if code, body := call(t, http.MethodPost, alone+"/database/modify", `{"code":"x","version":"1.0","schema":{"type":"object"}}`, nil); code != 401 {
		t.Fatalf("an anonymous call to the production gateway = %d %s, want 401", code, body)
	}
	grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"registries","serviceId":"registries",
	  "rights":[{"memberClass":"GOV","memberCode":"ADMIN","applicationId":"console"}]}]`
	if code, body := call(t, http.MethodPatch, base+"/api/v1/rights/allow", grant, auth); code != 200 {
		t.Fatalf("grant through the configuration API = %d %s", code, body)
	}
	schema := `{"code":"deploycheck","version":"1.0","schema":{"type":"object","properties":{"id":{"type":"string"},"n":{"type":"integer"}},"required":["n"]}}`
	if code, body := call(t, http.MethodPost, alone+"/database/modify", schema, auth); code != 200 {
		t.Fatalf("POST /database/modify on the standalone listener = %d %s", code, body)
	}
	id := fmt.Sprintf("r-%d", time.Now().UnixNano())
	if code, body := call(t, http.MethodPost, alone+"/data/deploycheck/1.0/create", `{"write":{"content":{"id":"`+id+`","n":7}}}`, auth); code != 200 {
		t.Fatalf("create = %d %s", code, body)
	}
	code, body := call(t, http.MethodPost, base+"/data/deploycheck/1.0/read", `{"query":{"content":{"id":"`+id+`"}}}`, auth)
	if code != 200 || !strings.Contains(body, `"n":7`) {
		t.Fatalf("read through the main listener = %d %s", code, body)
	}
	grant = `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"registration","serviceId":"registration",
	  "rights":[{"memberClass":"GOV","memberCode":"ADMIN","applicationId":"console"}]}]`
	if code, body := call(t, http.MethodPatch, base+"/api/v1/rights/allow", grant, auth); code != 200 {
		t.Fatalf("grant registration through the configuration API = %d %s", code, body)
	}
	if code, body := call(t, http.MethodGet, base+"/services", "", auth); code != 200 || !strings.Contains(body, "5e7a0000-0000-4000-a000-000000000001") {
		t.Fatalf("GET /services through the gateway = %d, without the buyer-account service: %.500s", code, body)
	}
	checkPortal(t, c, bins, envOf, auth, dotEnv)
	checkPaymentThroughRailsim(t, c, envOf, auth)
	for _, m := range []string{"GOVSTACK_METRICS_ADDR"} {
		metrics := "http://" + rewrite(m, "0.0.0.0:9464") + "/metrics"
		if code, body := call(t, http.MethodGet, metrics, "", map[string]string{}); code != 200 || !strings.Contains(body, "rpc_server") {
			t.Errorf("registries GET /metrics = %d, without gRPC server metrics: %.300s", code, body)
		}
	}
	for i := len(procs) - 1; i >= 0; i-- {
		stop(t, procs[i])
	}
}

// checkPortal runs the portal as compose does, in front of the production gateway: its IM key issued with
// `gateway issue-key`, its rights granted through the configuration API as web/README.md says; its health
// check passes, and its pages read Scheduling, Registration and procurement through the gateway (an answer
// the gateway refused would be the "unavailable" page).
func checkPortal(t *testing.T, c composeFile, bins map[string]string, envOf func(string) []string, auth, dotEnv map[string]string) {
	t.Helper()
	dotEnv["GOVSTACK_PORTAL_IM_API_KEY"] = issueKey(t, bins["gateway"], "issue-key", "GOVSTACK/GOV/GOVSTACK/portal", envOf("gateway"))
	for _, svc := range []string{"registration", "scheduling", "procurement", "workflow", "payments"} {
		grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"` + svc + `","serviceId":"` + svc + `",
		  "rights":[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"portal"}]}]`
		if code, body := call(t, http.MethodPatch, "http://"+gatewayAddr(envOf)+"/api/v1/rights/allow", grant, auth); code != 200 {
			t.Fatalf("grant the portal %s = %d %s", svc, code, body)
		}
	}
	p := start(t, bins["portal"], c.Services["portal"].Command, envOf("portal"))
	waitHealthy(t, bins, "portal", c.Services["portal"], envOf("portal"))
	base := "http://" + portalAddr(envOf)
	for _, path := range []string{"/doctors", "/register/buyer", "/tenders"} {
		code, body := call(t, http.MethodGet, base+path, "", map[string]string{})
		if code != 200 || strings.Contains(body, "the service is unavailable") {
			t.Errorf("portal GET %s = %d: %.400s", path, code, body)
		}
	}
	if code, body := call(t, http.MethodGet, base+"/readyz", "", map[string]string{}); code != 200 {
		t.Errorf("portal /readyz = %d %s", code, body)
	}
	stop(t, p)
}

// gatewayAddr and portalAddr are where the rewritten compose environment puts the gateway and the portal.
func gatewayAddr(envOf func(string) []string) string {
	return envValue(envOf("gateway"), "GOVSTACK_HTTP_ADDR")
}

func portalAddr(envOf func(string) []string) string {
	return envValue(envOf("portal"), "GOVSTACK_PORTAL_ADDR")
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// issueKey runs `gateway admin-key` or `gateway issue-key` as an operator would on the gateway host and
// returns the printed key.
func issueKey(t *testing.T, bin, subcommand, client string, env []string) string {
	t.Helper()
	cmd := exec.Command(bin, subcommand, client)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gateway %s: %v\n%s", subcommand, err, out)
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if k, ok := strings.CutPrefix(line, "api key: "); ok {
			return strings.TrimSpace(k)
		}
	}
	t.Fatalf("gateway %s printed no key:\n%s", subcommand, out)
	return ""
}

// interpolate applies compose's ${VAR:-default} with nothing set in the environment: the default.
func interpolate(v string) string {
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			return v
		}
		j := strings.Index(v[i:], "}")
		if j < 0 {
			return v
		}
		expr := v[i+2 : i+j]
		_, def, _ := strings.Cut(expr, ":-")
		v = v[:i] + def + v[i+j+1:]
	}
}

func buildBinaries(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}
	pkgs := map[string]string{"gateway": "gateway", "portal": "web"}
	for _, b := range catalog.All {
		pkgs[b.Name] = b.Module
	}
	for _, c := range commands {
		pkgs[c.name] = "services/" + c.bb
	}
	for name, pkg := range pkgs {
		bin := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/"+name)
		cmd.Dir = filepath.Join(repoRoot, pkg)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", name, err, b)
		}
		out[name] = bin
	}
	return out
}

// addressRewriter maps compose's container addresses to this machine: a free loopback port per listener,
// the test Postgres server and an in-process NATS server.
func addressRewriter(t *testing.T) func(key, value string) string {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("in-process NATS did not start")
	}
	dataDir := t.TempDir()
	ports := map[string]string{}
	port := func(p string) string {
		if _, ok := ports[p]; !ok {
			ports[p] = freePort(t)
		}
		return ports[p]
	}
	return func(key, v string) string {
		switch {
		case key == "GOVSTACK_DATABASE_URL":
			return os.Getenv("GOVSTACK_TEST_DATABASE_URL")
		case key == "GOVSTACK_NATS_URL":
			return ns.ClientURL()
		case key == "GOVSTACK_DATA_DIR":
			return dataDir
		}
		hosts := []string{"0.0.0.0:", "gateway:", "mailpit:", "localhost:"}
		for _, bb := range catalog.Names() {
			hosts = append(hosts, bb+":")
		}
		for _, c := range commands {
			hosts = append(hosts, c.name+":")
		}
		for _, host := range hosts {
			if i := strings.Index(v, host); i >= 0 {
				rest := v[i+len(host):]
				n := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
				if n < 0 {
					n = len(rest)
				}
				return v[:i] + "127.0.0.1:" + port(rest[:n]) + rest[n:] // keep a URL's path
			}
		}
		return v
	}
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func runToEnd(t *testing.T, bin string, args, env []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(bin), args, err, b)
	}
}

type proc struct {
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan error
}

func start(t *testing.T, bin string, args, env []string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), logs: &bytes.Buffer{}, done: make(chan error, 1)}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("%s logs:\n%s", filepath.Base(bin), p.logs)
		}
	})
	return p
}

// stop sends SIGTERM, as docker does, and expects a clean exit.
func stop(t *testing.T, p *proc) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("%s exited with %v after SIGTERM", p.cmd.Path, err)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("%s did not stop within 30s of SIGTERM", p.cmd.Path)
	}
}

// waitHealthy runs the service's compose health check until it passes, as docker would. In a BB's image
// /usr/local/bin/bb is the BB's binary (bb.Dockerfile).
func waitHealthy(t *testing.T, bins map[string]string, name string, svc composeService, env []string) {
	t.Helper()
	hc := svc.Healthcheck.Test[1:] // drop "CMD"
	bin := bins[filepath.Base(hc[0])]
	if hc[0] == "/usr/local/bin/bb" {
		bin = bins[name]
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		cmd := exec.Command(bin, hc[1:]...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("health check %v still failing: %v\n%s", hc, err, out)
		}
		time.Sleep(200 * time.Millisecond) // polling interval of the health check, as docker's interval
	}
}

// call sends one request; headers nil means a caller that only claims an identity, without a credential.
func call(t *testing.T, method, url, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if headers == nil {
		req.Header.Set("Information-Mediator-Client", "eGovStack/GOV/90000009/deploycheck")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
