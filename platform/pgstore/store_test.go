package pgstore_test

import (
	"context"
	"embed"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed testdata/migrations/*.sql
var testMigrations embed.FS

var testSet = pgstore.MigrationSet{Name: "pgstore_test", FS: testMigrations, Dir: "testdata/migrations"}

// newStore opens a fresh, migrated database.
func newStore(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.NewPool(t, testSet)
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port 1 is reserved (tcpmux) and never has a Postgres behind it.
	_, err := pgstore.Open(ctx, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable")
	if err == nil {
		t.Fatal("Open succeeded against a closed port")
	}
	msg := err.Error()
	for _, want := range []string{"cannot reach Postgres at 127.0.0.1:1", "start Postgres or set GOVSTACK_DATABASE_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "failed to connect to") {
		t.Errorf("error %q repeats the driver's preamble", msg)
	}
	var ce *pgstore.ConnectError
	if !errors.As(err, &ce) || ce.Reachable {
		t.Errorf("want an unreachable *ConnectError, got %#v", err)
	}
}

func TestOpenRefused(t *testing.T) {
	server := pgtest.ServerURL(t)
	u := strings.Replace(server, "/postgres?", "/no_such_database_here?", 1)
	if u == server {
		t.Skip("test server URL has no /postgres? path to replace")
	}
	_, err := pgstore.Open(context.Background(), u)
	if err == nil || !strings.Contains(err.Error(), "refused the connection") || !strings.Contains(err.Error(), "3D000") {
		t.Fatalf("want a refused-connection error naming SQLSTATE 3D000, got %v", err)
	}
}

func TestEnsureDatabaseIdempotent(t *testing.T) {
	ctx := context.Background()
	server := pgtest.ServerURL(t)
	dbURL := pgtest.NewDatabase(t) // already exists: EnsureDatabase must accept that
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	name = name[:strings.Index(name, "?")]
	for range 2 {
		if err := pgstore.EnsureDatabase(ctx, server, name); err != nil {
			t.Fatal(err)
		}
	}
	// A name that needs quoting, created from scratch by three callers at once.
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	odd := name + `_"Odd"-name`
	t.Cleanup(func() {
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{odd}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- pgstore.EnsureDatabase(ctx, server, odd) }()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, odd).Scan(&exists); err != nil || !exists {
		t.Fatalf("database %q was not created (%v)", odd, err)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	ctx := context.Background()
	pool := newStore(t)
	if err := pgstore.Migrate(ctx, pool, testSet); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	var version int64
	if err := pool.QueryRow(ctx, `SELECT max(version_id) FROM pgstore_test_migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 2 {
		t.Errorf("version = %d, want 2", version)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO owners VALUES (1, 'a')`); err != nil {
		t.Fatalf("migrated table missing: %v", err)
	}
}

func TestMapError(t *testing.T) {
	ctx := context.Background()
	pool := newStore(t)
	if _, err := pool.Exec(ctx, `
		INSERT INTO owners VALUES (1, 'owner');
		INSERT INTO things (id, email, owner_id) VALUES (1, 'secret@example.org', 1);
		INSERT INTO bookings VALUES (1, tstzrange('2030-01-01 10:00Z', '2030-01-01 11:00Z'))`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		sql        string
		kind       apierr.Kind
		reason     string
		constraint string
	}{
		{"unique", `INSERT INTO things (id, email) VALUES (2, 'secret@example.org')`, apierr.KindAlreadyExists, "ALREADY_EXISTS", "things_email_key"},
		{"foreign key", `INSERT INTO things (id, email, owner_id) VALUES (3, 'b@example.org', 99)`, apierr.KindFailedPrecondition, "CONSTRAINT_VIOLATION", "things_owner_fkey"},
		{"check", `INSERT INTO things (id, email, qty) VALUES (4, 'c@example.org', -1)`, apierr.KindInvalidArgument, "CONSTRAINT_VIOLATION", "things_qty_positive"},
		{"exclusion", `INSERT INTO bookings VALUES (1, tstzrange('2030-01-01 10:30Z', '2030-01-01 12:00Z'))`, apierr.KindFailedPrecondition, "CONFLICT", "bookings_no_overlap"},
		{"data", `SELECT 'not-a-number'::int`, apierr.KindInvalidArgument, "INVALID_VALUE", ""},
		{"no rows", `SELECT id FROM owners WHERE id = 42`, apierr.KindNotFound, "NOT_FOUND", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var id int
			raw := pool.QueryRow(ctx, tc.sql).Scan(&id)
			if raw == nil {
				t.Fatal("statement succeeded")
			}
			err := pgstore.MapError(raw)
			e, ok := apierr.As(err)
			if !ok {
				t.Fatalf("MapError(%v) = %v, not an *apierr.Error", raw, err)
			}
			if e.Kind != tc.kind || e.Reason != tc.reason {
				t.Errorf("got %v/%s, want %v/%s", e.Kind, e.Reason, tc.kind, tc.reason)
			}
			if !errors.Is(err, raw) {
				t.Error("mapped error does not wrap the driver error")
			}
			if tc.constraint != "" && !strings.Contains(e.Message, tc.constraint) {
				t.Errorf("message %q does not name constraint %s", e.Message, tc.constraint)
			}
			if strings.Contains(e.Message, "secret@example.org") {
				t.Errorf("message %q leaks row data", e.Message)
			}
		})
	}
	t.Run("unchanged", func(t *testing.T) {
		other := errors.New("boom")
		if got := pgstore.MapError(other); got != other {
			t.Errorf("MapError(other) = %v", got)
		}
		already := apierr.NotFound("THING_NOT_FOUND", "no thing")
		if got := pgstore.MapError(already); got != already {
			t.Errorf("MapError(apierr) = %v", got)
		}
		if pgstore.MapError(nil) != nil {
			t.Error("MapError(nil) != nil")
		}
	})
	t.Run("statement timeout", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = '20ms'`); err != nil {
			t.Fatal(err)
		}
		_, raw := tx.Exec(ctx, `SELECT pg_sleep(5)`)
		if got := apierr.KindOf(pgstore.MapError(raw)); got != apierr.KindDeadlineExceeded {
			t.Errorf("statement timeout (%v) → %v, want DeadlineExceeded", raw, got)
		}
	})
	t.Run("server going away", func(t *testing.T) {
		for _, code := range []string{"57P01", "08006", "53300"} {
			if got := apierr.KindOf(pgstore.MapError(&pgconn.PgError{Code: code})); got != apierr.KindUnavailable {
				t.Errorf("%s → %v, want Unavailable", code, got)
			}
		}
	})
	t.Run("serialization", func(t *testing.T) {
		err := pgstore.MapError(&pgconn.PgError{Code: "40001"})
		if apierr.KindOf(err) != apierr.KindAborted {
			t.Errorf("40001 → %v, want Aborted", apierr.KindOf(err))
		}
	})
}

// A database that cannot be reached is Unavailable with a Retry-After, never an internal error (issue 12).
func TestMapErrorUnreachable(t *testing.T) {
	ctx := context.Background()
	_, err := pgx.Connect(ctx, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	e, ok := apierr.As(pgstore.MapError(err))
	if !ok || e.Kind != apierr.KindUnavailable || e.RetryAfter <= 0 {
		t.Fatalf("MapError(%v) = %#v, want Unavailable with RetryAfter", err, e)
	}
	if !errors.Is(pgstore.MapError(err), err) {
		t.Error("the driver error is not kept")
	}
	if k := apierr.KindOf(pgstore.MapError(context.DeadlineExceeded)); k == apierr.KindUnavailable {
		t.Error("the caller's own deadline became Unavailable")
	}
}
