// Package pgstore holds what every building block needs to keep its state in Postgres: opening a pool with
// an error a developer can act on, creating the BB's database, applying embedded migrations, running
// transactions that survive serialization failures, and translating SQLSTATEs into apierr errors once.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// connectTimeout bounds the first contact with the server: a developer who forgot to start Postgres should
// get an answer in seconds, not after the kernel's TCP timeout.
const connectTimeout = 5 * time.Second

// Open creates a connection pool for url and pings the server. When the server cannot be reached the error
// says so in one line, names host:port and tells the developer what to do; the cause stays wrapped.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included; keep only the fact.
		return nil, errors.New("pgstore: invalid database URL (check GOVSTACK_DATABASE_URL)")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, connectError(cfg.ConnConfig, err)
	}
	return pool, nil
}

// EnsureDatabase creates database name on the server at serverURL unless it exists. Two services starting at
// once may both try; the loser's duplicate_database error is not an error.
func EnsureDatabase(ctx context.Context, serverURL, name string) error {
	cfg, err := pgx.ParseConfig(serverURL)
	if err != nil {
		return errors.New("pgstore: invalid server URL")
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return connectError(cfg, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
	if err != nil {
		return fmt.Errorf("pgstore: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	// CREATE DATABASE takes no parameters, so the name is quoted as an identifier instead.
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if createdConcurrently(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgstore: create database %q: %w", name, err)
	}
	return nil
}

// createdConcurrently recognises losing a CREATE DATABASE race: Postgres reports duplicate_database, or, when
// both commands got past the name check, a unique violation on its own catalog index.
func createdConcurrently(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "42P04" || (pgErr.Code == "23505" && pgErr.ConstraintName == "pg_database_datname_index")
}

// ConnectError reports a failure to reach or log in to Postgres without the noise of the driver's message.
type ConnectError struct {
	Addr      string // host:port
	Reachable bool   // the server answered, but refused (authentication, missing database, ...)
	Err       error
}

func (e *ConnectError) Error() string {
	if e.Reachable {
		return fmt.Sprintf("Postgres at %s refused the connection: %s; check GOVSTACK_DATABASE_URL", e.Addr, shortCause(e.Err))
	}
	return fmt.Sprintf("cannot reach Postgres at %s: %s; start Postgres or set GOVSTACK_DATABASE_URL", e.Addr, shortCause(e.Err))
}

func (e *ConnectError) Unwrap() error { return e.Err }

func connectError(cfg *pgx.ConnConfig, err error) error {
	var pgErr *pgconn.PgError
	return &ConnectError{
		Addr:      net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))),
		Reachable: errors.As(err, &pgErr),
		Err:       err,
	}
}

// shortCause picks the most telling part of a driver error: the server's message or the network error,
// rather than pgconn's long "failed to connect to `user=... database=...`" preamble.
func shortCause(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message + " (SQLSTATE " + pgErr.Code + ")"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}
