// Package deploy checks docker-compose.yml and deploy/ against the binaries they run: the subcommands,
// the environment variables each binary really reads, and the health checks. Docker does not run on the
// development machines, so the same binaries are also started with the same environment outside containers
// (stack_test.go).
package deploy

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/govstackbb/marketplace/services/messaging"
	"github.com/govstackbb/marketplace/services/payments"
	"github.com/govstackbb/marketplace/services/payments/simulator"
	"github.com/govstackbb/marketplace/services/procurement"
	"github.com/govstackbb/marketplace/services/registration"
	"github.com/govstackbb/marketplace/services/registries"
	"github.com/govstackbb/marketplace/services/scheduling"
	"github.com/govstackbb/marketplace/services/workflow"
	portal "github.com/govstackbb/marketplace/web"
)

const repoRoot = "../.."

// bbDockerfile builds every BB's image (build argument BB); the gateway has its own.
const bbDockerfile = "deploy/docker/bb.Dockerfile"

// binary describes one of our images: the binary inside it, the settings it reads and its subcommands.
type binary struct {
	name        string
	env         map[string]bool
	subcommands map[string]bool
	dockerfile  string
}

// bbImage is the image compose and deploy/k8s run a BB from.
func bbImage(bb string) string { return "govstack/" + bb + ":dev" }

// bbSettings are what each BB's binary reads and its subcommands. A BB's Config lives in its module, which
// the catalog does not import, hence this one line per BB; TestBinariesCoverTheCatalog keeps it complete.
var bbSettings = map[string]struct {
	env         map[string]bool
	subcommands map[string]bool
}{
	"registries":   {envVars(registries.Config{}), set("serve", "migrate", "seed", "healthcheck")},
	"messaging":    {envVars(messaging.Config{}), set("serve", "migrate", "healthcheck")},
	"scheduling":   {envVars(scheduling.Config{}), set("serve", "migrate", "seed", "healthcheck")},
	"registration": {envVars(registration.Config{}), set("serve", "migrate", "seed", "healthcheck")},
	"payments":     {envVars(payments.Config{}), set("serve", "migrate", "healthcheck")},
	"workflow":     {envVars(workflow.Config{}), set("serve", "migrate", "seed", "healthcheck")},
	"procurement":  {envVars(procurement.Config{}), set("serve", "migrate", "healthcheck")},
}

// command is an image bb.Dockerfile builds from a BB's module besides the BB's own (--build-arg COMMAND):
// its module's BB, its command (cmd/<command>), what it reads and its subcommands.
type command struct {
	bb, name    string
	env         map[string]bool
	subcommands map[string]bool
}

// commands are those images, by image: the payment rail simulator, which compose runs beside Payments.
var commands = map[string]command{
	"govstack/railsim:dev": {bb: "payments", name: "railsim", env: envVars(simulator.Settings{}), subcommands: set("serve", "healthcheck")},
}

// portalImage is the portal's image (web/, deploy/docker/portal.Dockerfile).
const portalImage = "govstack/portal:dev"

// binaries are our images by name: every BB's (bb.Dockerfile), the gateway's and the portal's.
var binaries = func() map[string]binary {
	m := map[string]binary{
		"govstack/gateway:dev": {
			name: "gateway", env: upstreamVars(envVars(gateway.Config{})),
			subcommands: set("serve", "migrate", "healthcheck", "verify-log", "issue-key", "admin-key"),
			dockerfile:  "deploy/docker/gateway.Dockerfile",
		},
		portalImage: {
			name: "portal", env: envVars(portal.Config{}), subcommands: set("serve", "healthcheck"),
			dockerfile: "deploy/docker/portal.Dockerfile",
		},
	}
	for name, s := range bbSettings {
		m[bbImage(name)] = binary{name: name, env: s.env, subcommands: s.subcommands, dockerfile: bbDockerfile}
	}
	for image, c := range commands {
		m[image] = binary{name: c.name, env: c.env, subcommands: c.subcommands, dockerfile: bbDockerfile}
	}
	return m
}()

// Every BB of the catalog has its image described above, and nothing else is: the catalog is the list.
func TestBinariesCoverTheCatalog(t *testing.T) {
	for _, bb := range catalog.Names() {
		if b, ok := binaries[bbImage(bb)]; !ok || b.name != bb {
			t.Errorf("the catalog's %s has no image in binaries", bb)
		}
	}
	if len(binaries) != len(catalog.All)+2+len(commands) { // and the gateway, the portal and the commands
		t.Errorf("binaries describes %d images, the catalog has %d BBs, and the gateway, the portal and %d commands",
			len(binaries), len(catalog.All), len(commands))
	}
	for image, c := range commands {
		if _, ok := catalog.Lookup(c.bb); !ok {
			t.Errorf("%s is built from %s, not a BB of the catalog", image, c.bb)
		}
	}
}

// upstreamVars adds the gateway's per-BB address variables, which it reads by name from the catalog
// (gateway.Config.FromVars) rather than from struct tags.
func upstreamVars(env map[string]bool) map[string]bool {
	for _, b := range catalog.All {
		env[b.AddrEnv()] = true
	}
	return env
}

func set(items ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range items {
		m[s] = true
	}
	return m
}

// envVars collects the `env:"..."` tags of a config struct, embedded structs included: exactly the
// variables the binary reads.
func envVars(cfg any) map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if tag := strings.Split(f.Tag.Get("env"), ",")[0]; tag != "" {
				out[tag] = true
			} else if f.Type.Kind() == reflect.Struct {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeOf(cfg))
	return out
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string            `yaml:"context"`
		Dockerfile string            `yaml:"dockerfile"`
		Args       map[string]string `yaml:"args"`
	} `yaml:"build"`
	Command     []string          `yaml:"command"`
	Restart     string            `yaml:"restart"`
	Environment map[string]string `yaml:"environment"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test     []string `yaml:"test"`
		Interval string   `yaml:"interval"`
	} `yaml:"healthcheck"`
}

// loadCompose parses docker-compose.yml as compose does, anchors and `<<` merge keys resolved.
func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	return c
}

// The shared parts of docker-compose.yml (x-bb-*) reach every BB through anchors and `<<` merge keys: each
// must resolve to a mapping (a merge of a list or a scalar is not one compose accepts), and nothing must be
// left unmerged.
func TestComposeAnchorsResolve(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "<<" {
					t.Errorf("%s: a merge key was not resolved", path)
				}
				walk(path+"."+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		}
	}
	walk("", doc)
	for key := range doc {
		if key != "name" && key != "services" && key != "volumes" && !strings.HasPrefix(key, "x-") {
			t.Errorf("top-level key %q is neither a compose section nor an x- extension field", key)
		}
	}
	c := loadCompose(t)
	for _, bb := range catalog.Names() { // what the anchors bring to each BB
		svc := c.Services[bb]
		for _, k := range []string{"GOVSTACK_DATABASE_URL", "GOVSTACK_NATS_URL", "GOVSTACK_IM_KEYS_URL", "GOVSTACK_LOG_LEVEL"} {
			if svc.Environment[k] == "" {
				t.Errorf("%s: %s is not set (x-bb-env not merged?)", bb, k)
			}
		}
		if svc.Healthcheck == nil || svc.Healthcheck.Interval == "" {
			t.Errorf("%s: the health check of x-bb-serve is not merged", bb)
		}
		if d, ok := svc.DependsOn["nats"]; !ok || d.Condition != "service_healthy" {
			t.Errorf("%s: does not wait for nats (x-bb-serve-deps not merged?)", bb)
		}
	}
}

func TestComposeServicesMatchBinaries(t *testing.T) {
	c := loadCompose(t)
	want := []string{"postgres", "nats", "mailpit", "gateway-migrate", "gateway", "portal"}
	for _, c := range commands {
		want = append(want, c.name)
	}
	for _, bb := range catalog.Names() {
		want = append(want, bb+"-migrate", bb)
	}
	for _, want := range want {
		if _, ok := c.Services[want]; !ok {
			t.Errorf("docker-compose.yml: service %q is missing", want)
		}
	}
	built := map[string][]string{} // image -> the services that build it
	for name, svc := range c.Services {
		if svc.Healthcheck == nil && !oneShot(name) {
			t.Errorf("%s: no health check", name)
		}
		if oneShot(name) && svc.Restart != "no" {
			t.Errorf("%s: a one-shot step must not restart (restart: \"no\")", name)
		}
		for dep, d := range svc.DependsOn {
			if _, ok := c.Services[dep]; !ok {
				t.Errorf("%s: depends on unknown service %q", name, dep)
			}
			if d.Condition == "service_healthy" && c.Services[dep].Healthcheck == nil {
				t.Errorf("%s: waits for %s to be healthy, but %s has no health check", name, dep, dep)
			}
		}
		if svc.Build != nil {
			built[svc.Image] = append(built[svc.Image], name)
		}
		bin, ours := binaries[svc.Image]
		if !ours {
			continue
		}
		t.Run(name, func(t *testing.T) { checkOurService(t, bin, svc) })
	}
	for image := range binaries {
		if len(built[image]) != 1 {
			t.Errorf("%s is built by %d services %v, want one", image, len(built[image]), built[image])
		}
	}
}

// TestComposeEveryBB checks each BB of the catalog in docker-compose.yml: its migrate step builds its image
// from bb.Dockerfile, its server runs after it (or after its seed step) on ports no other service uses, and
// the gateway reaches it at its service name and gRPC port and waits for it.
func TestComposeEveryBB(t *testing.T) {
	c := loadCompose(t)
	gw := c.Services["gateway"]
	listen := map[string]string{} // port -> who listens on it
	for _, k := range []string{"GOVSTACK_HTTP_ADDR", "GOVSTACK_GRPC_ADDR"} {
		listen[port(gw.Environment[k])] = "gateway " + k
	}
	for _, s := range strings.Split(gw.Environment["GOVSTACK_GATEWAY_STANDALONE"], ",") {
		listen[port(s)] = "gateway GOVSTACK_GATEWAY_STANDALONE"
	}
	for _, bb := range catalog.All {
		t.Run(bb.Name, func(t *testing.T) {
			mig, srv := c.Services[bb.Name+"-migrate"], c.Services[bb.Name]
			if b := mig.Build; b == nil || b.Context != "." || b.Dockerfile != bbDockerfile || b.Args["BB"] != bb.Name {
				t.Errorf("%s-migrate: build %+v, want context ., dockerfile %s, args BB=%s", bb.Name, b, bbDockerfile, bb.Name)
			}
			if mig.Image != bbImage(bb.Name) || srv.Image != bbImage(bb.Name) {
				t.Errorf("images %q and %q, want %s", mig.Image, srv.Image, bbImage(bb.Name))
			}
			if !reflect.DeepEqual(mig.Command, []string{"migrate"}) || !reflect.DeepEqual(srv.Command, []string{"serve"}) {
				t.Errorf("commands %q and %q, want migrate and serve", mig.Command, srv.Command)
			}
			if mig.DependsOn["postgres"].Condition != "service_healthy" {
				t.Errorf("%s-migrate does not wait for postgres", bb.Name)
			}
			before := bb.Name + "-migrate"
			if seed, ok := c.Services[bb.Name+"-seed"]; ok {
				if seed.Image != bbImage(bb.Name) || seed.DependsOn[before].Condition != "service_completed_successfully" {
					t.Errorf("%s-seed: image %q, waits for %v; want %s after %s", bb.Name, seed.Image, seed.DependsOn, bbImage(bb.Name), before)
				}
				before = bb.Name + "-seed"
			}
			if srv.DependsOn[before].Condition != "service_completed_successfully" {
				t.Errorf("%s starts before %s completes", bb.Name, before)
			}
			for _, k := range []string{"GOVSTACK_GRPC_ADDR", "GOVSTACK_METRICS_ADDR"} {
				p := port(srv.Environment[k])
				if p == "" {
					t.Errorf("%s: %s %q has no port", bb.Name, k, srv.Environment[k])
					continue
				}
				if who, taken := listen[p]; taken {
					t.Errorf("%s: %s port %s is already %s's", bb.Name, k, p, who)
				}
				listen[p] = bb.Name + " " + k
			}
			want := bb.Name + ":" + port(srv.Environment["GOVSTACK_GRPC_ADDR"])
			if got := gw.Environment[bb.AddrEnv()]; got != want {
				t.Errorf("gateway: %s = %q, want %q (the service name and its GOVSTACK_GRPC_ADDR port)", bb.AddrEnv(), got, want)
			}
			if gw.DependsOn[bb.Name].Condition != "service_healthy" {
				t.Errorf("the gateway does not wait for %s to be healthy", bb.Name)
			}
		})
	}
	if v, set := gw.Environment["GOVSTACK_GATEWAY_BBS"]; set {
		t.Errorf("gateway: GOVSTACK_GATEWAY_BBS=%q: unset, the gateway serves every BB of the catalog, as compose runs them", v)
	}
}

// port is the port of a host:port address ("" when there is none).
func port(addr string) string {
	if _, a, ok := strings.Cut(addr, "="); ok { // bb=host:port
		addr = a
	}
	_, p, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return ""
	}
	return p
}

// oneShot reports whether a compose service is a step that runs to completion (migrate, seed) rather than a
// server: it has no health check, and others wait for service_completed_successfully.
func oneShot(name string) bool {
	return strings.HasSuffix(name, "-migrate") || strings.HasSuffix(name, "-seed")
}

func checkOurService(t *testing.T, bin binary, svc composeService) {
	if svc.Build != nil && svc.Build.Dockerfile != bin.dockerfile {
		t.Errorf("builds %s, want %s", svc.Build.Dockerfile, bin.dockerfile)
	}
	if len(svc.Command) == 0 || !bin.subcommands[svc.Command[0]] {
		t.Errorf("command %q: %s has no such subcommand", svc.Command, bin.name)
	}
	for k := range svc.Environment {
		if !bin.env[k] {
			t.Errorf("environment %s: %s does not read it", k, bin.name)
		}
	}
	if svc.Healthcheck != nil {
		if hc := svc.Healthcheck.Test; len(hc) != 3 || hc[0] != "CMD" || !bin.installedAt(hc[1]) || hc[2] != "healthcheck" {
			t.Errorf("health check %q, want [CMD %s healthcheck]", hc, bin.paths())
		}
	}
}

// paths are where the image has the binary: /usr/local/bin/<name>, and for a BB also /usr/local/bin/bb
// (bb.Dockerfile's entry point, the path every BB's health check shares).
func (b binary) paths() []string {
	p := []string{"/usr/local/bin/" + b.name}
	if b.dockerfile == bbDockerfile {
		p = append(p, "/usr/local/bin/bb")
	}
	return p
}

func (b binary) installedAt(path string) bool { return slices.Contains(b.paths(), path) }
