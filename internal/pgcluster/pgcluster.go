// Package pgcluster runs a private PostgreSQL cluster for the project (issue 14): `make run` and `make test`
// use it when no server answers where the user's settings point and the user set none, and `make chaos`
// stops and starts one under load. The cluster lives in a folder of its own (.govstack/postgres) and keeps
// its data when it is stopped, so the second start reuses it.
//
// Only the user who runs it may use it. Its Unix socket is in a folder of mode 0700 owned by the cluster's
// OS user, and trust applies to that socket alone, so trust is trust for that user; TCP is on 127.0.0.1
// only and needs the password generated at the first start and kept in the state folder (file "password",
// mode 0600), which the URL the stack uses carries. Another local user can reach neither.
//
// It runs the server binaries the common packages install (Debian's /usr/lib/postgresql/<v>/bin, Homebrew,
// PATH). initdb and postgres refuse to run as root, so a root process (CI) runs them as the postgres user.
// That user must reach the data without anyone widening the permissions of the folders above it: when every
// folder above the state folder lets it pass (a checkout under /home/x or /work, mode 0755), the state folder
// is given to it (mode 0700) and holds everything; when one does not (a 0700 temporary folder, /root), the
// data, socket and server log go to a folder of its own under its home directory
// (~postgres/govstack-clusters/<hash of the state folder>), and the state folder keeps only the port and the
// password. Remove deletes both.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
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
	Dir string // the state folder: the port and the password, and the cluster itself unless Home says otherwise
	Bin string // the folder of initdb and pg_ctl
	// Home holds the data, the socket and the server's log: Dir, or (root, with a folder above Dir the
	// postgres user cannot pass) a folder under that user's home directory.
	Home string
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
	c := &Cluster{Dir: abs, Bin: bin, Home: abs}
	if os.Geteuid() == 0 {
		var home string
		if c.owner, home, err = serverUser(); err != nil {
			return nil, err
		}
		if !reachable(filepath.Dir(abs), c.owner) {
			if home == "" || !exists(home) {
				return nil, fmt.Errorf("running as root, the private PostgreSQL cluster runs as the user postgres, which "+
					"cannot reach %s (a folder above it is closed to it) and has no home directory to keep the cluster in "+
					"instead: use a state folder it can reach (GOVSTACK_DATA_DIR), or set GOVSTACK_DATABASE_URL", abs)
			}
			sum := sha256.Sum256([]byte(abs))
			c.Home = filepath.Join(home, "govstack-clusters", hex.EncodeToString(sum[:8]))
		}
	}
	return c, nil
}

// serverUser is who runs the server for a root process: the postgres user the packages create, and its home.
func serverUser() (*syscall.Credential, string, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, "", errors.New("running as root, the private PostgreSQL cluster needs the user postgres to own it " +
			"(initdb refuses root), and there is none: create it, run as another user, or set GOVSTACK_DATABASE_URL")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	var groups []uint32
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil {
				groups = append(groups, uint32(g))
			}
		}
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: groups}, u.HomeDir, nil
}

// reachable reports whether the user cred may pass through dir and every folder above it that exists (the
// missing ones are created 0755 by Start), judging by their permission bits.
func reachable(dir string, cred *syscall.Credential) bool {
	for ; ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(dir); err == nil {
			sys, ok := st.Sys().(*syscall.Stat_t)
			if !ok || !searchable(st.Mode().Perm(), sys.Uid, sys.Gid, cred) {
				return false
			}
		}
		if dir == filepath.Dir(dir) {
			return true
		}
	}
}

func searchable(perm os.FileMode, uid, gid uint32, cred *syscall.Credential) bool {
	switch {
	case uid == cred.Uid:
		return perm&0o100 != 0
	case gid == cred.Gid || slices.Contains(cred.Groups, gid):
		return perm&0o010 != 0
	}
	return perm&0o001 != 0
}

func (c *Cluster) dataDir() string      { return filepath.Join(c.Home, "data") }
func (c *Cluster) portFile() string     { return filepath.Join(c.Dir, "port") }
func (c *Cluster) passwordFile() string { return filepath.Join(c.Dir, "password") }

// LogFile is the server's log.
func (c *Cluster) LogFile() string { return filepath.Join(c.Home, "postgres.log") }

// Initialised reports whether the cluster's data folder exists.
func (c *Cluster) Initialised() bool { return exists(filepath.Join(c.dataDir(), "PG_VERSION")) }

// Start initialises the cluster when it has no data yet, and starts it (waiting until it accepts
// connections) unless it already runs. It returns the URL of its postgres database, password included.
func (c *Cluster) Start(ctx context.Context) (string, error) {
	if err := c.prepareFolders(); err != nil {
		return "", err
	}
	password, created, err := c.password()
	if err != nil {
		return "", err
	}
	fresh := !c.Initialised()
	if fresh {
		if err := c.initdb(ctx, password); err != nil {
			return "", err
		}
	}
	if c.Running(ctx) {
		if created { // the password file went missing while the server runs: give it the new one
			if err := c.setPassword(ctx, password); err != nil {
				return "", err
			}
		}
		return c.URL()
	}
	// Every start writes the access rules, so a cluster made when trust applied to everyone (before issue 14's
	// review) is brought to these.
	if err := c.writeHBA(); err != nil {
		return "", err
	}
	port, err := c.port()
	if err != nil {
		return "", err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s", port, c.Home)
	if _, err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-l", c.LogFile(), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return "", fmt.Errorf("start the private PostgreSQL cluster in %s (log: %s): %w", c.Home, c.LogFile(), err)
	}
	if created && !fresh {
		if err := c.setPassword(ctx, password); err != nil {
			return "", err
		}
	}
	return c.URL()
}

// prepareFolders creates the state folder and the cluster's folder, each readable by its owner alone: the
// cluster's (its socket's) is its OS user's, mode 0700. Folders above them are not touched.
func (c *Cluster) prepareFolders() error {
	// Folders above the state folder that do not exist yet (a fresh clone's .govstack) are made as any
	// folder is, so that the postgres user of a root process can pass them, as Open judged.
	if err := os.MkdirAll(filepath.Dir(c.Dir), 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(c.Dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := os.Chmod(c.Dir, 0o700); err != nil {
		return err
	}
	if c.Home != c.Dir {
		if err := os.MkdirAll(c.Home, 0o700); err != nil {
			return fmt.Errorf("the private PostgreSQL cluster's folder %s: %w", c.Home, err)
		}
		if err := c.giveToOwner(filepath.Dir(c.Home)); err != nil {
			return err
		}
	}
	return c.giveToOwner(c.Home)
}

// giveToOwner makes dir the server user's (when this process is root) with mode 0700.
func (c *Cluster) giveToOwner(dir string) error {
	if c.owner != nil {
		if err := os.Chown(dir, int(c.owner.Uid), int(c.owner.Gid)); err != nil {
			return fmt.Errorf("give %s to the postgres user: %w", dir, err)
		}
	}
	return os.Chmod(dir, 0o700)
}

// password returns the cluster's password, generating (and keeping, mode 0600) one when there is none.
func (c *Cluster) password() (string, bool, error) {
	if b, err := os.ReadFile(c.passwordFile()); err == nil && len(bytes.TrimSpace(b)) > 0 {
		return string(bytes.TrimSpace(b)), false, nil
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", false, err
	}
	pw := hex.EncodeToString(raw)
	if err := os.WriteFile(c.passwordFile(), []byte(pw+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("keep the private PostgreSQL cluster's password: %w", err)
	}
	return pw, true, nil
}

// hba is the cluster's pg_hba.conf.
const hba = `# Written by govstack (internal/pgcluster) at every start.
# The socket is in a folder of mode 0700 owned by the cluster's OS user: trust on it is trust for that user.
# TCP listens on 127.0.0.1 only and needs the password kept in the state folder (file "password", mode 0600).
local   all           all                    trust
local   replication   all                    trust
host    all           all     127.0.0.1/32   scram-sha-256
host    replication   all     127.0.0.1/32   scram-sha-256
`

func (c *Cluster) writeHBA() error {
	path := filepath.Join(c.dataDir(), "pg_hba.conf")
	if err := os.WriteFile(path, []byte(hba), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if c.owner != nil {
		return os.Chown(path, int(c.owner.Uid), int(c.owner.Gid))
	}
	return nil
}

// setPassword gives the postgres role password, over the socket (trust for the cluster's user; root passes
// the folder's permissions too).
func (c *Cluster) setPassword(ctx context.Context, password string) error {
	port, err := c.currentPort()
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable", c.Home, port))
	if err != nil {
		return fmt.Errorf("set the private PostgreSQL cluster's password over its socket in %s: %w", c.Home, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// ALTER ROLE takes no parameters; the password is hex, so quoting it is safe.
	if _, err := conn.Exec(ctx, "ALTER ROLE postgres PASSWORD '"+password+"'"); err != nil {
		return fmt.Errorf("set the private PostgreSQL cluster's password: %w", err)
	}
	return nil
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

// URL is the connection URL of the cluster's postgres database: user postgres, the cluster's password, TCP
// on loopback.
func (c *Cluster) URL() (string, error) {
	port, err := c.currentPort()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(c.passwordFile())
	if err != nil {
		return "", fmt.Errorf("the private PostgreSQL cluster in %s has no password yet: start it", c.Dir)
	}
	return fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/postgres?sslmode=disable", strings.TrimSpace(string(b)), port), nil
}

func (c *Cluster) currentPort() (int, error) {
	b, err := os.ReadFile(c.portFile())
	if err != nil {
		return 0, fmt.Errorf("the private PostgreSQL cluster in %s has no port yet: start it", c.Dir)
	}
	p, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("the private PostgreSQL cluster's port file %s: %w", c.portFile(), err)
	}
	return p, nil
}

// Remove stops the cluster and deletes it: its data, and the state folder.
func (c *Cluster) Remove(ctx context.Context) error {
	if err := c.Stop(ctx); err != nil {
		return err
	}
	if c.Home != c.Dir {
		if err := os.RemoveAll(c.Home); err != nil {
			return err
		}
	}
	return os.RemoveAll(c.Dir)
}

// initdb creates the data folder: user postgres with the cluster's password, UTF-8, trust on the socket
// (its folder is the cluster's user's alone) and the password on loopback TCP.
func (c *Cluster) initdb(ctx context.Context, password string) error {
	// initdb reads the password from a file its user can read: one in the cluster's own folder, removed after.
	pwfile := filepath.Join(c.Home, ".initdb-password")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if c.owner != nil {
		if err := os.Chown(pwfile, int(c.owner.Uid), int(c.owner.Gid)); err != nil {
			return err
		}
	}
	_, err := c.run(ctx, "initdb", "-D", c.dataDir(), "-U", "postgres", "-E", "UTF8", "--locale=C",
		"--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile="+pwfile, "--no-instructions")
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
	if err := os.WriteFile(c.portFile(), []byte(strconv.Itoa(p)+"\n"), 0o600); err != nil {
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

// run runs one of the cluster's programs as its owner; the error carries what the program printed.
func (c *Cluster) run(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(c.Bin, name), args...)
	cmd.Dir = c.Home
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if c.owner != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.owner}
		cmd.Env = append(os.Environ(), "HOME="+c.Home)
	}
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}
