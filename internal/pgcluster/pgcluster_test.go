package pgcluster

import (
	"context"
	"errors"
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
	c, err := Open(filepath.Join(t.TempDir(), "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	url, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
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
		t.Errorf("Start on a running cluster: %s, %v", u, err)
	}
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
