package deploy

import (
	"bufio"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// instruction is one Dockerfile instruction: its keyword (upper case), its flags (--from=…) and arguments.
type instruction struct {
	cmd   string
	flags []string
	args  []string
	raw   string
}

// stage is one FROM … stage of a Dockerfile.
type stage struct {
	from string
	ins  []instruction
}

// parseDockerfile reads a Dockerfile into its stages, continuation lines joined and comments dropped, with
// ${BB} (and $BB) replaced by bb and ${COMMAND} by bb's command (its own unless commandOf says another).
func parseDockerfile(t *testing.T, file, bb string, commandOf ...string) []stage {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages []stage
	var line string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "#") || (l == "" && line == "") {
			continue
		}
		if c, ok := strings.CutSuffix(l, "\\"); ok {
			line += c + " "
			continue
		}
		line += l
		cmd := bb
		if len(commandOf) > 0 {
			cmd = commandOf[0]
		}
		raw := strings.NewReplacer("${BB}", bb, "$BB", bb, "${COMMAND}", cmd, "$COMMAND", cmd).Replace(line)
		line = ""
		fields := strings.Fields(raw)
		in := instruction{cmd: strings.ToUpper(fields[0]), raw: raw}
		for _, a := range fields[1:] {
			if strings.HasPrefix(a, "--") && len(in.args) == 0 {
				in.flags = append(in.flags, a)
			} else {
				in.args = append(in.args, a)
			}
		}
		if in.cmd == "FROM" {
			stages = append(stages, stage{from: strings.Join(in.args, " ")})
			continue
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("%s: %s before the first FROM", file, in.cmd)
			}
			continue
		}
		stages[len(stages)-1].ins = append(stages[len(stages)-1].ins, in)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 {
		t.Fatalf("%s: %d stages, want two (build, then the distroless image)", file, len(stages))
	}
	return stages
}

// buildStage is what a Dockerfile's first stage does: the directories it copies from the build context
// (repository-relative → path in the image), the directory the go build runs in, and the build command.
type buildStage struct {
	copies  map[string]string
	workdir string
	gowork  bool // GOWORK=off is set before the build
	build   string
}

func readBuildStage(t *testing.T, file string, s stage) buildStage {
	t.Helper()
	b := buildStage{copies: map[string]string{}, workdir: "/"}
	for _, in := range s.ins {
		switch in.cmd {
		case "WORKDIR":
			if path.IsAbs(in.args[0]) {
				b.workdir = path.Clean(in.args[0])
			} else {
				b.workdir = path.Join(b.workdir, in.args[0])
			}
		case "COPY", "ADD":
			if len(in.flags) > 0 || len(in.args) != 2 {
				t.Errorf("%s: %q: want one source of the build context and one destination", file, in.raw)
				continue
			}
			b.copies[path.Clean(in.args[0])] = path.Join(b.workdir, in.args[1])
		case "ENV":
			b.gowork = b.gowork || strings.Contains(in.raw, "GOWORK=off")
		case "RUN":
			if strings.Contains(in.raw, "go build") && b.gowork {
				b.build = in.raw
			}
		}
	}
	return b
}

// TestOneDockerfileBuildsEveryBB checks bb.Dockerfile for every BB of the catalog, with BB set to its name:
// it builds cmd/<bb> in the BB's module with GOWORK=off, it copies every in-repository module the BB's
// go.mod replaces (proto, platform, …) that the binary imports, the copied tree alone resolves every package
// of the binary (go list -deps, as go build would), and the image runs it as /usr/local/bin/bb serve with
// /usr/local/bin/<bb> beside it.
func TestOneDockerfileBuildsEveryBB(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(repoRoot, "deploy/docker"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	if want := []string{"bb.Dockerfile", "gateway.Dockerfile", "portal.Dockerfile"}; !reflect.DeepEqual(files, want) {
		t.Errorf("deploy/docker has %q, want %q: every BB builds from bb.Dockerfile", files, want)
	}
	for _, bb := range catalog.All {
		t.Run(bb.Name, func(t *testing.T) {
			if bb.Module != "services/"+bb.Name {
				t.Fatalf("module %s: bb.Dockerfile builds services/<name>", bb.Module)
			}
			stages := parseDockerfile(t, bbDockerfile, bb.Name)
			if !hasInstruction(stages[0], "ARG", "BB") {
				t.Errorf("the build stage does not declare ARG BB (an ARG before FROM is not seen inside a stage)")
			}
			b := readBuildStage(t, bbDockerfile, stages[0])
			checkBuildStage(t, bbDockerfile, b, bb.Module, bb.Name, "/out/bin/"+bb.Name)
			if !strings.Contains(b.build, "ln -s "+bb.Name+" /out/bin/bb") {
				t.Errorf("the build does not link /out/bin/bb to %s: %q", bb.Name, b.build)
			}
			final := stages[1]
			for _, want := range [][]string{
				{"COPY", "/out/bin/", "/usr/local/bin/"},
				{"USER", "nonroot"},
				{"ENTRYPOINT", `["/usr/local/bin/bb"]`},
				{"CMD", `["serve"]`},
			} {
				if !hasInstruction(final, want[0], want[1:]...) {
					t.Errorf("the image stage has no %s %s", want[0], strings.Join(want[1:], " "))
				}
			}
			if !strings.Contains(final.from, "distroless") || !strings.Contains(final.from, "nonroot") {
				t.Errorf("the image is %s, want a distroless nonroot base", final.from)
			}
		})
	}
}

// TestBBDockerfileBuildsOtherCommands checks bb.Dockerfile with COMMAND set, for each image of commands
// (railsim): it builds cmd/<command> of the BB's module from what it copies, links /usr/local/bin/bb to it,
// and ARG COMMAND defaults to the BB, so a BB's own build is unchanged.
func TestBBDockerfileBuildsOtherCommands(t *testing.T) {
	for image, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			stages := parseDockerfile(t, bbDockerfile, c.bb, c.name)
			if !hasInstruction(stages[0], "ARG", "COMMAND="+c.bb) {
				t.Errorf("the build stage does not declare ARG COMMAND=${BB} after ARG BB")
			}
			b := readBuildStage(t, bbDockerfile, stages[0])
			checkBuildStage(t, bbDockerfile, b, "services/"+c.bb, c.name, "/out/bin/"+c.name)
			if !strings.Contains(b.build, "ln -s "+c.name+" /out/bin/bb") {
				t.Errorf("%s: the build does not link /out/bin/bb to %s: %q", image, c.name, b.build)
			}
		})
	}
}

// TestGatewayDockerfile checks the gateway's own Dockerfile as bb.Dockerfile is checked.
func TestGatewayDockerfile(t *testing.T) {
	const file = "deploy/docker/gateway.Dockerfile"
	stages := parseDockerfile(t, file, "")
	checkBuildStage(t, file, readBuildStage(t, file, stages[0]), "gateway", "gateway", "/out/gateway")
	for _, want := range [][]string{
		{"COPY", "/out/gateway", "/usr/local/bin/gateway"},
		{"ENTRYPOINT", `["/usr/local/bin/gateway"]`},
		{"CMD", `["serve"]`},
	} {
		if !hasInstruction(stages[1], want[0], want[1:]...) {
			t.Errorf("%s: the image stage has no %s %s", file, want[0], strings.Join(want[1:], " "))
		}
	}
}

// TestPortalDockerfile checks the portal's Dockerfile as the gateway's is checked: it builds web/'s
// cmd/portal with GOWORK=off from what it copies, and the image runs it as /usr/local/bin/portal serve.
func TestPortalDockerfile(t *testing.T) {
	const file = "deploy/docker/portal.Dockerfile"
	stages := parseDockerfile(t, file, "")
	checkBuildStage(t, file, readBuildStage(t, file, stages[0]), "web", "portal", "/out/portal")
	for _, want := range [][]string{
		{"COPY", "/out/portal", "/usr/local/bin/portal"},
		{"USER", "nonroot"},
		{"ENTRYPOINT", `["/usr/local/bin/portal"]`},
		{"CMD", `["serve"]`},
	} {
		if !hasInstruction(stages[1], want[0], want[1:]...) {
			t.Errorf("%s: the image stage has no %s %s", file, want[0], strings.Join(want[1:], " "))
		}
	}
	if !strings.Contains(stages[1].from, "distroless") || !strings.Contains(stages[1].from, "nonroot") {
		t.Errorf("the image is %s, want a distroless nonroot base", stages[1].from)
	}
}

func hasInstruction(s stage, cmd string, args ...string) bool {
	for _, in := range s.ins {
		if in.cmd == cmd && reflect.DeepEqual(in.args, args) {
			return true
		}
	}
	return false
}

// checkBuildStage checks that the build stage builds ./cmd/<name> in module into out, and copies what it
// needs from the repository.
func checkBuildStage(t *testing.T, file string, b buildStage, module, name, out string) {
	t.Helper()
	if b.copies[module] != "/src/"+module {
		t.Errorf("%s: does not copy %s/ to /src/%s/ (copies %v)", file, module, module, b.copies)
	}
	if b.workdir != "/src/"+module {
		t.Errorf("%s: builds in %s, want /src/%s", file, b.workdir, module)
	}
	if !strings.Contains(b.build, "go build") || !strings.Contains(b.build, " ./cmd/"+name) || !strings.Contains(b.build, "-o "+out+" ") {
		t.Errorf("%s: no go build -o %s ./cmd/%s after GOWORK=off: %q", file, out, name, b.build)
	}
	for dir, p := range b.copies {
		if p != "/src/"+dir {
			t.Errorf("%s: copies %s to %s: the build needs the repository's layout (/src/%s), which go.mod's replace lines assume", file, dir, p, dir)
		}
	}
	var used map[string]bool // the modules the binary's packages come from, read when needed
	for mod, dir := range inRepoReplaces(t, module) {
		if covered(b.copies, dir) {
			continue
		}
		if used == nil {
			used = depModules(t, filepath.Join(repoRoot, module), name)
		}
		if used[mod] {
			t.Errorf("%s: %s's go.mod replaces %s with %s/, which cmd/%s imports, and the build does not copy it", file, module, mod, dir, name)
		} else {
			t.Logf("%s: not copied: %s/ (%s), which %s's go.mod replaces but cmd/%s does not import", file, dir, mod, module, name)
		}
	}
	// The proof: the copied tree alone resolves every package of the binary, as go build in the image would.
	src := t.TempDir()
	for dir := range b.copies {
		if err := os.CopyFS(filepath.Join(src, dir), os.DirFS(filepath.Join(repoRoot, dir))); err != nil {
			t.Fatal(err)
		}
	}
	depModules(t, filepath.Join(src, module), name)
}

// inRepoReplaces reads module's go.mod: the modules it replaces with a directory of this repository, by
// module path, as repository-relative directories.
func inRepoReplaces(t *testing.T, module string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, module, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for line := range strings.SplitSeq(string(raw), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "replace "))
		old, dir, ok := strings.Cut(line, "=>")
		if !ok {
			continue
		}
		old, dir = strings.Fields(old)[0], strings.TrimSpace(dir)
		if !strings.HasPrefix(dir, "./") && !strings.HasPrefix(dir, "../") {
			continue // a module version, not a directory
		}
		out[old] = path.Join(module, dir)
	}
	return out
}

func covered(copies map[string]string, dir string) bool {
	for c := range copies {
		if dir == c || strings.HasPrefix(dir, c+"/") {
			return true
		}
	}
	return false
}

// depModules runs go list -deps ./cmd/<name> in dir with GOWORK=off and returns the modules of the
// packages; it fails the test when a package does not resolve.
func depModules(t *testing.T, dir, name string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "./cmd/"+name)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps ./cmd/%s in %s: %v\n%s", name, dir, err, msg)
	}
	mods := map[string]bool{}
	for m := range strings.FieldsSeq(string(out)) {
		mods[m] = true
	}
	return mods
}
