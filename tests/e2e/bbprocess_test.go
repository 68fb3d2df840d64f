package e2e

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/govstackbb/marketplace/internal/pgcluster"
)

// bbProcess is one building block run as its own OS process from its binary, as production runs it.
type bbProcess struct {
	bin  string
	env  []string
	cmd  *exec.Cmd
	logs string // the file its output goes to
	done chan error
}

// buildBB starts building cmd/<name> of the module in dir (from the repository root) into a temporary folder;
// the function it returns waits for the binary.
func buildBB(t *testing.T, dir, name string) func(*testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/"+name)
	cmd.Dir = filepath.Join("..", "..", dir)
	done := make(chan error, 1)
	var out []byte
	go func() {
		var err error
		out, err = cmd.CombinedOutput()
		done <- err
	}()
	return func(t *testing.T) string {
		t.Helper()
		if err := <-done; err != nil {
			t.Fatalf("go build %s: %v\n%s", name, err, out)
		}
		return bin
	}
}

// migrateBB runs `bin migrate` with env to its end: the database a BB's serve expects, made and migrated.
func migrateBB(t *testing.T, bin string, env []string) {
	t.Helper()
	cmd := exec.Command(bin, "migrate")
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s migrate: %v\n%s", filepath.Base(bin), err, b)
	}
}

// startBB runs `bin serve` with env; the test's end kills it and, when the test failed, shows its logs.
func startBB(t *testing.T, bin string, env []string) *bbProcess {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), filepath.Base(bin)+"-*.log")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close() // the child has its own descriptor
	p := &bbProcess{bin: bin, env: env, logs: out.Name(), done: make(chan error, 1)}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			logs, _ := os.ReadFile(p.logs)
			t.Logf("%s (pid %d) logs:\n%s", filepath.Base(bin), p.cmd.Process.Pid, logs)
		}
	})
	return p
}

// kill kills the process with SIGKILL — no shutdown, no drain: what it had not committed is lost — and
// waits for it to be gone.
func (p *bbProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill %s: %v", p.bin, err)
	}
	select {
	case <-p.done:
		p.done <- nil // for the cleanup's wait
	case <-time.After(10 * time.Second):
		t.Fatalf("%s still runs 10 s after SIGKILL", p.bin)
	}
}

// restart starts the same binary with the same environment again.
func (p *bbProcess) restart(t *testing.T) *bbProcess {
	t.Helper()
	return startBB(t, p.bin, p.env)
}

// privatePostgres starts a throwaway PostgreSQL cluster for this test and points GOVSTACK_TEST_DATABASE_URL
// at it: a BB binary names its database govstack_<bb>, which must not meet anyone's on the shared server.
func privatePostgres(t *testing.T) string {
	t.Helper()
	pg, err := pgcluster.Open(filepath.Join(t.TempDir(), "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	url, err := pg.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Remove(context.Background()) })
	t.Setenv("GOVSTACK_TEST_DATABASE_URL", url)
	return url
}

// tcpNATS is an in-process NATS server with JetStream that other processes reach over loopback TCP.
func tcpNATS(t *testing.T) string {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("in-process NATS did not start")
	}
	return ns.ClientURL()
}

// freeAddr is a loopback address no one listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// osEnv is the part of this process's environment a child needs to run (PATH, HOME).
func osEnv() []string { return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")} }
