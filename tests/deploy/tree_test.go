package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxTrackedBytes is the largest file the repository may track: anything bigger is a binary, a dump or
// build output that slipped past .gitignore (two binaries of 35 and 58 MB once did, issue 13).
const maxTrackedBytes = 1 << 20

// TestNoLargeFilesAreTracked fails when git tracks a file over 1 MiB.
func TestNoLargeFilesAreTracked(t *testing.T) {
	root := repoRoot
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): nothing to check", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		fi, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			continue // deleted in the work tree, not yet committed
		}
		if fi.Size() > maxTrackedBytes {
			t.Errorf("%s is tracked and %d bytes (> 1 MiB): remove it and .gitignore it", name, fi.Size())
		}
	}
}

// TestDockerIgnoreKeepsTheContextSmall: every image builds from the repository root, so .dockerignore must
// keep the git history, local state and build output out of the build context.
func TestDockerIgnoreKeepsTheContextSmall(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", ".govstack", ".tools", "bin", "/govstack", "gateway/cmd/gateway/gateway"} {
		if !strings.Contains(string(b), "\n"+want+"\n") {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}
