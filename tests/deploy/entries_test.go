package deploy

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// A BB's deploy entry is everything deployment needs to know of it; adding a BB (after its module and its
// line in the catalog) is adding its entry and nothing else:
//
//   - docker-compose.yml: its services <bb>-migrate, <bb> (and <bb>-seed when it has one), and in the
//     gateway's service its address GOVSTACK_<BB>_GRPC_ADDR and the depends_on line that waits for it;
//   - deploy/k8s: its overlay bbs/<bb>/, and in kustomization.yaml the line that lists it and its address
//     GOVSTACK_<BB>_GRPC_ADDR in gateway-upstreams.
//
// bb.Dockerfile, the compose anchors, base/bb, settings.yaml, gateway.yaml and .dockerignore name no BB.
// The one exception is the gateway's standalone listener on port 3333, which serves the registries BB
// alone (for the GovStack test suites): a feature of the gateway, not a list of BBs.

// TestAddingABBNeedsOnlyItsEntry fails when a BB's name appears (outside comments) anywhere but in its own
// entry, and when a BB of the catalog has not exactly one entry.
func TestAddingABBNeedsOnlyItsEntry(t *testing.T) {
	names := catalog.Names()
	mentions := func(line string) []string { // the BBs a line names: registries, GOVSTACK_REGISTRIES_…, bbs/registries
		var out []string
		for _, n := range names {
			if nameRE(n).MatchString(line) {
				out = append(out, n)
			}
		}
		return out
	}
	standalone := func(line string) bool { return strings.Contains(line, "3333") }

	// docker-compose.yml, service by service. A command built from a BB's module (bb.Dockerfile's COMMAND,
	// e.g. railsim from payments) is part of that BB's entry.
	builtFrom := map[string]string{}
	for name, svc := range loadCompose(t).Services {
		if svc.Build != nil && svc.Build.Args["COMMAND"] != "" {
			builtFrom[name] = svc.Build.Args["BB"]
		}
	}
	for _, l := range yamlLines(t, "docker-compose.yml") {
		for _, n := range mentions(l.text) {
			svc := l.block
			switch {
			case svc == n || svc == n+"-migrate" || svc == n+"-seed" || builtFrom[svc] == n:
			case svc == "gateway" && (strings.HasPrefix(l.text, "GOVSTACK_"+strings.ToUpper(n)+"_GRPC_ADDR: ") ||
				strings.HasPrefix(l.text, n+": {condition: ")):
			case svc == "gateway" && n == "registries" && standalone(l.text):
			default:
				t.Errorf("docker-compose.yml:%d (%s): %q names %s outside its entry", l.no, blockName(svc), l.text, n)
			}
		}
	}

	// deploy/ and .dockerignore, file by file.
	files := []string{".dockerignore"}
	err := filepath.WalkDir(filepath.Join(repoRoot, "deploy"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(repoRoot, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		own := "" // the BB whose overlay this is
		if rest, ok := strings.CutPrefix(f, "deploy/k8s/bbs/"); ok {
			own, _, _ = strings.Cut(rest, "/")
		}
		for _, l := range yamlLines(t, f) {
			for _, n := range mentions(l.text) {
				switch {
				case n == own:
				case f == "deploy/k8s/kustomization.yaml" && (l.text == "- bbs/"+n ||
					strings.HasPrefix(l.text, "- GOVSTACK_"+strings.ToUpper(n)+"_GRPC_ADDR=")):
				case f == "deploy/k8s/gateway.yaml" && n == "registries" && standalone(l.text):
				default:
					t.Errorf("%s:%d: %q names %s outside its entry", f, l.no, l.text, n)
				}
			}
		}
	}

	// Every BB of the catalog has exactly one entry: one overlay, one server in compose.
	dirs, err := os.ReadDir(filepath.Join(repoRoot, "deploy/k8s/bbs"))
	if err != nil {
		t.Fatal(err)
	}
	var overlays []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(repoRoot, "deploy/k8s/bbs", d.Name(), "kustomization.yaml")); d.IsDir() && err == nil {
			overlays = append(overlays, d.Name())
		} else {
			t.Errorf("deploy/k8s/bbs/%s is not an overlay (a folder with kustomization.yaml)", d.Name())
		}
	}
	c := loadCompose(t)
	for _, n := range names {
		if !slices.Contains(overlays, n) {
			t.Errorf("%s has no overlay deploy/k8s/bbs/%s/", n, n)
		}
		var servers []string
		for name, svc := range c.Services {
			if svc.Image == bbImage(n) && slices.Equal(svc.Command, []string{"serve"}) {
				servers = append(servers, name)
			}
		}
		if !slices.Equal(servers, []string{n}) {
			t.Errorf("docker-compose.yml: %s is served by %q, want exactly the service %s", n, servers, n)
		}
	}
	for _, o := range overlays {
		if !slices.Contains(names, o) {
			t.Errorf("deploy/k8s/bbs/%s: not a BB of the catalog", o)
		}
	}
}

// nameRE matches a BB's name as a word of its own, in any case: "registries", "GOVSTACK_REGISTRIES_GRPC_ADDR",
// "bbs/registries", not "registriesx".
func nameRE(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[^a-z0-9])` + regexp.QuoteMeta(name) + `([^a-z0-9]|$)`)
}

// line is one line of a YAML (or Dockerfile, .dockerignore) file without its comment, trimmed, with the
// compose service (or top-level key) it belongs to.
type line struct {
	no    int
	text  string
	block string
}

func yamlLines(t *testing.T, file string) []line {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, file))
	if err != nil {
		t.Fatal(err)
	}
	var out []line
	block, inServices := "", false
	for i, l := range strings.Split(string(raw), "\n") {
		if j := strings.Index(l, "#"); j >= 0 && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t') {
			l = l[:j]
		}
		text := strings.TrimSpace(l)
		if text == "" {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		switch {
		case indent == 0:
			block, _, _ = strings.Cut(text, ":")
			inServices = block == "services"
			block = "top-level " + block
		case indent == 2 && inServices:
			block, _, _ = strings.Cut(text, ":")
		}
		out = append(out, line{no: i + 1, text: text, block: block})
	}
	return out
}

func blockName(b string) string {
	if strings.HasPrefix(b, "top-level ") {
		return b
	}
	return "service " + b
}
