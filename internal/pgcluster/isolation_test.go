package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Trust is for the cluster's own user only (issue 14): another local OS user reaches neither the socket (its
// folder is 0700) nor TCP (loopback, password), while the password does work for it — so what stops it is
// the authentication, not something else. The folders above the state folder keep their permissions. Both
// layouts of a root process are covered: the state folder where the postgres user can reach it, and behind
// a folder it cannot pass (the cluster then lives under its home directory).
func TestAnotherUserCannotConnect(t *testing.T) {
	if _, err := FindBinaries(); errors.Is(err, ErrNoBinaries) {
		t.Skip("no PostgreSQL server binaries on this machine: " + err.Error())
	}
	if os.Geteuid() != 0 {
		t.Skip("the test creates a throwaway OS user to connect as, which needs root (CI runs as root)")
	}
	if _, err := exec.LookPath("useradd"); err != nil {
		t.Skip("no useradd to create a throwaway OS user: " + err.Error())
	}
	stranger := throwawayUser(t)
	for _, tc := range []struct {
		name    string
		parent  func(t *testing.T) string
		movedTo bool // the cluster lives under the postgres user's home
	}{
		{"state folder the postgres user can reach", openFolder, false},
		{"state folder behind a closed folder", func(t *testing.T) string { return t.TempDir() }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := tc.parent(t)
			before := modes(t, parent)
			c := openForTest(t, filepath.Join(parent, ".govstack", "postgres")) // .govstack made by Start, as in a fresh clone
			if moved := c.Home != c.Dir; moved != tc.movedTo {
				t.Fatalf("cluster in %s for the state folder %s: moved %v, want %v", c.Home, c.Dir, moved, tc.movedTo)
			}
			url, err := c.Start(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if after := modes(t, parent); after != before {
				t.Errorf("the folders above the state folder changed: %s, were %s", after, before)
			}
			port, _ := c.currentPort()
			password, _, _ := c.password()
			socket := fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres", c.Home, port)
			tcp := fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=postgres sslmode=disable", port)
			if out, err := psqlAs(c, stranger, socket); err == nil {
				t.Errorf("another user connected through the socket: %s", out)
			}
			if out, err := psqlAs(c, stranger, tcp); err == nil {
				t.Errorf("another user connected over TCP without the password: %s", out)
			} else if !strings.Contains(out, "password") {
				t.Errorf("over TCP without the password, want a password refusal: %s", out)
			}
			if out, err := psqlAs(c, stranger, tcp+" password="+password); err != nil {
				t.Errorf("with the password the other user should connect (the probe itself works): %v: %s", err, out)
			}
			execSQL(t, url, `SELECT 1`) // and the stack's URL works
		})
	}
}

// openFolder is a fresh folder every user may pass, as a checkout under /home/x or /work is.
func openFolder(t *testing.T) string {
	dir, err := os.MkdirTemp("", "pgcluster-open-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// modes lists the permissions of dir and every folder above it.
func modes(t *testing.T, dir string) string {
	var b strings.Builder
	for ; ; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%v ", dir, st.Mode().Perm())
		if dir == filepath.Dir(dir) {
			return b.String()
		}
	}
}

// throwawayUser creates an OS user for the test and deletes it afterwards.
func throwawayUser(t *testing.T) *syscall.Credential {
	t.Helper()
	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	name := "gsprobe" + hex.EncodeToString(suffix)
	if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput(); err != nil {
		t.Skipf("cannot create a throwaway user: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("userdel", name).Run() })
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
}

// psqlAs runs psql as cred with the connection string conn and reports what it printed.
func psqlAs(c *Cluster, cred *syscall.Credential, conn string) (string, error) {
	psql := filepath.Join(c.Bin, "psql")
	if _, err := os.Stat(psql); err != nil {
		if psql, err = exec.LookPath("psql"); err != nil {
			return "no psql", err
		}
	}
	cmd := exec.Command(psql, "-X", "-w", "-At", "-c", "SELECT 1", conn)
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
