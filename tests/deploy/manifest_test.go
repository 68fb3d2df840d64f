// Package deploy checks docker-compose.yml and deploy/ against the binaries they run: the subcommands,
// the environment variables each binary really reads, and the health checks. Docker does not run on the
// development machines, so the same binaries are also started with the same environment outside containers
// (stack_test.go).
package deploy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/govstackbb/marketplace/services/messaging"
	"github.com/govstackbb/marketplace/services/registration"
	"github.com/govstackbb/marketplace/services/registries"
	"github.com/govstackbb/marketplace/services/scheduling"
)

const repoRoot = "../.."

// binary describes one of our images: the binary inside it, the settings it reads and its subcommands.
type binary struct {
	name        string
	env         map[string]bool
	subcommands map[string]bool
	dockerfile  string
}

var binaries = map[string]binary{
	"govstack/registries:dev": {
		name: "registries", env: envVars(registries.Config{}),
		subcommands: set("serve", "migrate", "seed", "healthcheck"),
		dockerfile:  "deploy/docker/registries.Dockerfile",
	},
	"govstack/messaging:dev": {
		name: "messaging", env: envVars(messaging.Config{}),
		subcommands: set("serve", "migrate", "healthcheck"),
		dockerfile:  "deploy/docker/messaging.Dockerfile",
	},
	"govstack/scheduling:dev": {
		name: "scheduling", env: envVars(scheduling.Config{}),
		subcommands: set("serve", "migrate", "seed", "healthcheck"),
		dockerfile:  "deploy/docker/scheduling.Dockerfile",
	},
	"govstack/registration:dev": {
		name: "registration", env: envVars(registration.Config{}),
		subcommands: set("serve", "migrate", "seed", "healthcheck"),
		dockerfile:  "deploy/docker/registration.Dockerfile",
	},
	"govstack/gateway:dev": {
		name: "gateway", env: upstreamVars(envVars(gateway.Config{})),
		subcommands: set("serve", "migrate", "healthcheck", "verify-log", "issue-key", "admin-key"),
		dockerfile:  "deploy/docker/gateway.Dockerfile",
	},
}

// Every BB of the catalog has its image described above, and nothing else is: the catalog is the list.
func TestBinariesCoverTheCatalog(t *testing.T) {
	for _, bb := range catalog.Names() {
		if b, ok := binaries["govstack/"+bb+":dev"]; !ok || b.name != bb {
			t.Errorf("the catalog's %s has no image in binaries", bb)
		}
	}
	if len(binaries) != len(catalog.All)+1 { // and the gateway
		t.Errorf("binaries describes %d images, the catalog has %d BBs and the gateway", len(binaries), len(catalog.All))
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
	Image       string `yaml:"image"`
	Build       *struct{ Dockerfile string }
	Command     []string          `yaml:"command"`
	Restart     string            `yaml:"restart"`
	Environment map[string]string `yaml:"environment"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

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

func TestComposeServicesMatchBinaries(t *testing.T) {
	c := loadCompose(t)
	want := []string{"postgres", "nats", "mailpit", "gateway-migrate", "gateway"}
	for _, bb := range catalog.Names() {
		want = append(want, bb+"-migrate", bb)
	}
	for _, want := range want {
		if _, ok := c.Services[want]; !ok {
			t.Errorf("docker-compose.yml: service %q is missing", want)
		}
	}
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
		bin, ours := binaries[svc.Image]
		if !ours {
			continue
		}
		t.Run(name, func(t *testing.T) { checkOurService(t, bin, svc) })
	}
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
	checkDockerfile(t, bin)
	if len(svc.Command) == 0 || !bin.subcommands[svc.Command[0]] {
		t.Errorf("command %q: %s has no such subcommand", svc.Command, bin.name)
	}
	for k := range svc.Environment {
		if !bin.env[k] {
			t.Errorf("environment %s: %s does not read it", k, bin.name)
		}
	}
	if svc.Healthcheck != nil {
		hc := svc.Healthcheck.Test
		want := []string{"CMD", "/usr/local/bin/" + bin.name, "healthcheck"}
		if !reflect.DeepEqual(hc, want) {
			t.Errorf("health check %q, want %q", hc, want)
		}
	}
}

func checkDockerfile(t *testing.T, bin binary) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, bin.dockerfile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for _, want := range []string{
		"./cmd/" + bin.name, "COPY --from=build /out/" + bin.name + " /usr/local/bin/" + bin.name,
		`ENTRYPOINT ["/usr/local/bin/` + bin.name + `"]`, "GOWORK=off",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("%s: missing %q", bin.dockerfile, want)
		}
	}
}
