// Package pgtest gives each test its own empty Postgres database on the test server, so store tests run
// against the real thing, in parallel, without seeing each other's rows.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvVar names the server URL tests use; "skip" skips every store test (and says so).
const EnvVar = "GOVSTACK_TEST_DATABASE_URL"

// DefaultServerURL is the Postgres every developer machine and CI runner is expected to have.
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL returns the test server's URL. It skips t if the environment asks for it.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	switch u {
	case "skip":
		t.Skip(EnvVar + "=skip: no Postgres for store tests")
	case "":
		u = DefaultServerURL
	}
	return u
}

// NewDatabase creates a database test_<random> on the test server and returns its URL. The database is
// dropped WITH (FORCE) in t.Cleanup, so pools the test forgot to close do not keep it alive. An unreachable
// server fails the test: CI must not go green by skipping every store test.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	name := "test_" + randomHex(8)
	dbURL, err := withDatabase(server, name)
	if err != nil {
		t.Fatalf("pgtest: %s must be a postgres:// URL: %v", EnvVar, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pgstore.EnsureDatabase(ctx, server, name); err != nil {
		t.Fatalf("pgtest: %v (tests use %s, default %s; set it to \"skip\" to skip store tests)", err, EnvVar, DefaultServerURL)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return dbURL
}

func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", errors.New("scheme is not postgres://")
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewPool opens a pool on a fresh database (NewDatabase) with the given migration sets applied; the pool is
// closed in t.Cleanup. It is the usual first line of a store or component test.
func NewPool(t testing.TB, sets ...pgstore.MigrationSet) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool, err := pgstore.Open(ctx, NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := pgstore.Migrate(ctx, pool, sets...); err != nil {
		t.Fatal(err)
	}
	return pool
}
