package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/internal/pgcluster"
)

// The two commands work on a machine where PostgreSQL is installed but no server runs (issue 14): when the
// user names no server, and none answers at the default address, govstack starts a private cluster of
// its own in the data folder and stops it afterwards, keeping its data.

// defaultTestDatabaseURL is where the tests look for a server when GOVSTACK_TEST_DATABASE_URL is not set.
const defaultTestDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// postgresFor decides which server a command uses. A URL the user set is used as it is; otherwise the
// default when a server answers there; otherwise the private cluster in dir, started here. stop stops what
// was started (nothing when nothing was); where says which server it is, for the banner and the logs.
func postgresFor(ctx context.Context, userURL string, userSet bool, defaultURL, dir string, log *slog.Logger) (url, where string, stop func(), err error) {
	nothing := func() {}
	if userSet {
		return userURL, "the server you named (" + redact(userURL) + ")", nothing, nil
	}
	if answers(ctx, defaultURL) {
		return defaultURL, "the server at " + redact(defaultURL), nothing, nil
	}
	c, err := pgcluster.Open(dir)
	if err != nil {
		return "", "", nothing, fmt.Errorf("no PostgreSQL answers at %s, and a private cluster cannot be started: %w", redact(defaultURL), err)
	}
	fresh := !c.Initialised()
	if log != nil {
		log.Info("no PostgreSQL answers at the default address; starting the project's private cluster",
			"folder", c.Dir, "new", fresh)
	}
	url, err = c.Start(ctx)
	if err != nil {
		return "", "", nothing, err
	}
	stop = func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := c.Stop(sctx); err != nil && log != nil {
			log.Warn("stopping the private PostgreSQL cluster failed", "folder", c.Dir, "error", err.Error())
		}
	}
	return url, fmt.Sprintf("a private cluster in %s (%s; stopped with the stack, data kept; make clean removes it)",
		clusterPlace(c), redact(url)), stop, nil
}

// clusterPlace says where a private cluster keeps its data: its state folder, and where the data is when a
// root process had to put it under the postgres user's home.
func clusterPlace(c *pgcluster.Cluster) string {
	if c.Home != c.Dir {
		return fmt.Sprintf("%s (data in %s, where the postgres user can reach it; `govstack postgres remove %s` deletes both)",
			c.Dir, c.Home, c.Dir)
	}
	return c.Dir
}

// defaultServer is the address checked for a running server when the user named none; a test points it at
// a closed port, so that the private cluster starts without stopping the machine's server.
var defaultServer = func(url string) string { return url }

// answers reports whether a server accepts a connection at url within a couple of seconds.
func answers(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false
	}
	_ = conn.Close(ctx)
	return true
}

// redact hides a password in a connection URL.
func redact(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "the configured URL"
	}
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// runTestPostgres runs args (make's module tests) with GOVSTACK_TEST_DATABASE_URL naming a server: the one
// the user set, the default one when it answers, or the private test cluster (.govstack/postgres-test),
// which is stopped when the command ends.
func runTestPostgres(args []string, dataDir string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "govstack test-postgres: name the command to run, e.g. govstack test-postgres go test ./...")
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	userURL, userSet := os.LookupEnv("GOVSTACK_TEST_DATABASE_URL")
	ctx := context.Background()
	url, where, stop, err := postgresFor(ctx, userURL, userSet && userURL != "", defaultServer(defaultTestDatabaseURL),
		filepath.Join(dataDir, "postgres-test"), log)
	if err != nil {
		fmt.Fprintf(stderr, "govstack test-postgres: %v\n", err)
		return 1
	}
	defer stop()
	fmt.Fprintf(stderr, "tests use PostgreSQL: %s\n", where)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.Env = append(os.Environ(), "GOVSTACK_TEST_DATABASE_URL="+url)
	// Ctrl-C reaches the command too (same process group); wait for it, then stop the cluster.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(signals)
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		fmt.Fprintf(stderr, "govstack test-postgres: %v\n", err)
		return 1
	}
	return 0
}

// postgresUsage is the usage line of `govstack postgres`.
const postgresUsage = "usage: govstack postgres start|stop|status|remove [FOLDER] (default GOVSTACK_DATA_DIR/postgres; make test's is .govstack/postgres-test)"

// runPostgres is `govstack postgres start|stop|status [FOLDER]`: the private cluster of `make run` (or
// another, such as make test's), by hand.
func runPostgres(args []string, dataDir string, stdout, stderr io.Writer) int {
	if len(args) < 1 || len(args) > 2 {
		fmt.Fprintln(stderr, postgresUsage)
		return 2
	}
	dir := filepath.Join(dataDir, "postgres")
	if len(args) == 2 {
		dir = args[1]
	}
	c, err := pgcluster.Open(dir)
	if err != nil {
		fmt.Fprintf(stderr, "govstack postgres: %v\n", err)
		return 1
	}
	ctx := context.Background()
	switch args[0] {
	case "start":
		url, err := c.Start(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "govstack postgres: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "running in %s: GOVSTACK_DATABASE_URL=%s\n", clusterPlace(c), url)
	case "stop":
		if err := c.Stop(ctx); err != nil {
			fmt.Fprintf(stderr, "govstack postgres: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "stopped (data kept in %s)\n", clusterPlace(c))
	case "remove":
		if err := c.Remove(ctx); err != nil {
			fmt.Fprintf(stderr, "govstack postgres: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "stopped and removed %s\n", clusterPlace(c))
	case "status":
		if !c.Running(ctx) {
			fmt.Fprintf(stdout, "not running (%s)\n", clusterPlace(c))
			return 3
		}
		url, _ := c.URL()
		fmt.Fprintf(stdout, "running in %s: %s\n", clusterPlace(c), url)
	default:
		fmt.Fprintln(stderr, postgresUsage)
		return 2
	}
	return 0
}
