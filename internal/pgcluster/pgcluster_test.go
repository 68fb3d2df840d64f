package pgcluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// A private cluster starts from nothing, answers, stops keeping its data, and the second start reuses it
// (same data, same URL while its port is free). As root (CI) it runs as the postgres user.
func TestClusterStartsStopsAndIsReused(t *testing.T) {
	if _, err := FindBinaries(); errors.Is(err, ErrNoBinaries) {
		t.Skip("no PostgreSQL server binaries on this machine: " + err.Error())
	}
	ctx := context.Background()
	c := openForTest(t, filepath.Join(t.TempDir(), "postgres"))
	url, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "postgres://postgres:") || !strings.Contains(url, "@127.0.0.1:") {
		t.Errorf("URL %s: want user postgres with a password, on loopback", redactTest(url))
	}
	for path, want := range map[string]os.FileMode{c.Dir: 0o700, c.Home: 0o700, c.passwordFile(): 0o600, c.portFile(): 0o600} {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, st.Mode().Perm(), err, want)
		}
	}
	execSQL(t, url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`)
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Running(ctx) {
		t.Fatal("running after Stop")
	}
	again, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again != url {
		t.Errorf("second start: %s, want the same URL %s", again, url)
	}
	conn, err := pgx.Connect(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != "still here" {
		t.Fatalf("data after a restart: %q, %v", v, err)
	}
	if u, err := c.Start(ctx); err != nil || u != url {
		t.Errorf("Start on a running cluster: %s, %v", redactTest(u), err)
	}

	// A lost password file (or a cluster made before passwords): the next start makes a new password and
	// gives it to the cluster; the old one no longer works.
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(c.passwordFile()); err != nil {
		t.Fatal(err)
	}
	renewed, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if renewed == url {
		t.Fatal("same URL after the password file was lost")
	}
	execSQL(t, renewed, `SELECT 1`)
	if old, err := pgx.Connect(ctx, url); err == nil {
		old.Close(ctx)
		t.Error("the old password still works")
	}
}

// openForTest opens the cluster in dir and removes it (data included) when the test ends.
func openForTest(t *testing.T, dir string) *Cluster {
	t.Helper()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Remove(context.Background()); err != nil {
			t.Errorf("remove the cluster: %v", err)
		}
	})
	return c
}

func redactTest(url string) string {
	if i, j := strings.Index(url, "postgres:"), strings.Index(url, "@"); i >= 0 && j > i {
		return url[:i+len("postgres:")] + "…" + url[j:]
	}
	return url
}

func execSQL(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

// Without the server binaries the one message says how to install them or where to point instead.
func TestNoBinariesSaysWhatToDo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	saved := searchDirs
	searchDirs = []string{filepath.Join(t.TempDir(), "*")}
	t.Cleanup(func() { searchDirs = saved })
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("Open without binaries: %v", err)
	}
	for _, want := range []string{"apt-get install postgresql", "brew install postgresql@16", "GOVSTACK_DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message lacks %q: %s", want, err)
		}
	}
}

func TestNewestVersionWins(t *testing.T) {
	if versionOf("/usr/lib/postgresql/16/bin") != 16 || versionOf("/opt/homebrew/opt/postgresql@14/bin") != 14 {
		t.Error("versionOf misreads the folders")
	}
}
