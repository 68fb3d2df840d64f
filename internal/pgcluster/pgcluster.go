// Package pgcluster runs a private PostgreSQL cluster for the project (issue 14): `make run` and `make test`
// use it when no server answers where the user's settings point and the user set none, and `make chaos`
// stops and starts one under load. The cluster lives in a folder of its own (.govstack/postgres), listens
// on a free loopback port with trust authentication for local connections only, and keeps its data when it
// is stopped, so the second start reuses it.
//
// It runs the server binaries the common packages install (Debian's /usr/lib/postgresql/<v>/bin, Homebrew,
// PATH). initdb and postgres refuse to run as root, so a root process (CI) runs them as the postgres user
// and gives that user the folder.
package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// InstallHint is what a user without the server binaries is told.
const InstallHint = "PostgreSQL's server programs (initdb, pg_ctl) were not found: install them " +
	"(Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@16), or point " +
	"GOVSTACK_DATABASE_URL (GOVSTACK_TEST_DATABASE_URL for make test) at a server you run"

// ErrNoBinaries is returned when initdb and pg_ctl cannot be found.
var ErrNoBinaries = errors.New(InstallHint)

// searchDirs are where the packages put the server binaries, besides PATH; the newest version wins.
var searchDirs = []string{"/usr/lib/postgresql/*/bin", "/opt/homebrew/opt/postgresql@*/bin", "/usr/local/opt/postgresql@*/bin",
	"/opt/homebrew/bin", "/usr/local/pgsql/bin"}

// FindBinaries returns the folder holding initdb and pg_ctl: PATH first, then the packages' folders.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); exists(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	var found []string
	for _, pattern := range searchDirs {
		matches, _ := filepath.Glob(pattern)
		for _, dir := range matches {
			if exists(filepath.Join(dir, "initdb")) && exists(filepath.Join(dir, "pg_ctl")) {
				found = append(found, dir)
			}
		}
	}
	if len(found) == 0 {
		return "", ErrNoBinaries
	}
	sort.Slice(found, func(i, j int) bool { return versionOf(found[i]) > versionOf(found[j]) })
	return found[0], nil
}

// versionOf reads the major version from a folder such as /usr/lib/postgresql/16/bin (0 when none).
func versionOf(dir string) int {
	for _, part := range strings.FieldsFunc(dir, func(r rune) bool { return r == '/' || r == '@' }) {
		if n, err := strconv.Atoi(part); err == nil {
			return n
		}
	}
	return 0
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Cluster is one private cluster.
type Cluster struct {
	Dir string // the data folder; the port and the log are kept next to the data
	Bin string // the folder of initdb and pg_ctl
	// owner runs the server when this process is root (the postgres user); nil: this process's user.
	owner *syscall.Credential
}

// Open returns the cluster in dir, using the binaries FindBinaries finds.
func Open(dir string) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: abs, Bin: bin}
	if os.Geteuid() == 0 {
		if c.owner, err = serverUser(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// serverUser is who runs the server for a root process: the postgres user the packages create.
func serverUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("running as root, the private PostgreSQL cluster needs the user postgres to own it " +
			"(initdb refuses root), and there is none: create it, run as another user, or set GOVSTACK_DATABASE_URL")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) dataDir() string  { return filepath.Join(c.Dir, "data") }
func (c *Cluster) portFile() string { return filepath.Join(c.Dir, "port") }

// LogFile is the server's log.
func (c *Cluster) LogFile() string { return filepath.Join(c.Dir, "postgres.log") }

// Initialised reports whether the cluster's data folder exists.
func (c *Cluster) Initialised() bool { return exists(filepath.Join(c.dataDir(), "PG_VERSION")) }

// Start initialises the cluster when it has no data yet, and starts it (waiting until it accepts
// connections) unless it already runs. It returns the URL of its postgres database.
func (c *Cluster) Start(ctx context.Context) (string, error) {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return "", err
	}
	if !c.Initialised() {
		if err := c.initdb(ctx); err != nil {
			return "", err
		}
	}
	if c.Running(ctx) {
		return c.URL()
	}
	port, err := c.port()
	if err != nil {
		return "", err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s", port, c.Dir)
	if _, err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-l", c.LogFile(), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return "", fmt.Errorf("start the private PostgreSQL cluster in %s (log: %s): %w", c.Dir, c.LogFile(), err)
	}
	return c.URL()
}

// Stop stops the cluster (fast shutdown), keeping its data. Stopping a cluster that does not run is no error.
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.Running(ctx) {
		return nil
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-m", "fast", "-w", "-t", "60", "stop")
	return err
}

// Running reports whether the cluster's server runs.
func (c *Cluster) Running(ctx context.Context) bool {
	if !c.Initialised() {
		return false
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "status")
	return err == nil
}

// URL is the connection URL of the cluster's postgres database (trust authentication, user postgres).
func (c *Cluster) URL() (string, error) {
	b, err := os.ReadFile(c.portFile())
	if err != nil {
		return "", fmt.Errorf("the private PostgreSQL cluster in %s has no port yet: start it", c.Dir)
	}
	return "postgres://postgres@127.0.0.1:" + strings.TrimSpace(string(b)) + "/postgres?sslmode=disable", nil
}

// initdb creates the data folder: user postgres, UTF-8, trust for local connections only (the server
// listens on 127.0.0.1 and its socket is in the cluster's own folder).
func (c *Cluster) initdb(ctx context.Context) error {
	if err := c.giveToOwner(); err != nil {
		return err
	}
	_, err := c.run(ctx, "initdb", "-D", c.dataDir(), "-U", "postgres", "-E", "UTF8", "--locale=C",
		"--auth-local=trust", "--auth-host=trust", "--no-instructions")
	if err != nil {
		_ = os.RemoveAll(c.dataDir()) // a half-made folder would stop the next attempt
		return fmt.Errorf("initdb %s: %w", c.dataDir(), err)
	}
	return nil
}

// port returns the cluster's port: the one it had, while it is free, or a new free loopback port.
func (c *Cluster) port() (int, error) {
	if b, err := os.ReadFile(c.portFile()); err == nil {
		if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && free(p) {
			return p, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	p := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	if err := os.WriteFile(c.portFile(), []byte(strconv.Itoa(p)+"\n"), 0o644); err != nil {
		return 0, err
	}
	return p, nil
}

func free(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// giveToOwner makes the cluster folder the server user's when this process is root, and lets that user
// reach it: a folder above it that others may not enter (a 0700 temporary folder, say) gets the search bit
// for others — it still does not let them list it.
func (c *Cluster) giveToOwner() error {
	if c.owner == nil {
		return nil
	}
	for dir := filepath.Dir(c.Dir); ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(dir); err == nil && st.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(dir, st.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("let the postgres user reach %s: %w", c.Dir, err)
			}
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	return filepath.Walk(c.Dir, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(c.owner.Uid), int(c.owner.Gid))
	})
}

// run runs one of the cluster's programs as its owner; the error carries what the program printed.
func (c *Cluster) run(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(c.Bin, name), args...)
	cmd.Dir = c.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if c.owner != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.owner}
		cmd.Env = append(os.Environ(), "HOME="+c.Dir)
	}
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}
