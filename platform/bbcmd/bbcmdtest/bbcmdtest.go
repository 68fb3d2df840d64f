// Package bbcmdtest checks every BB binary's command line, serve and healthcheck the same way: a BB's
// cmd/<bb> test calls CommandLine and ServesAndStops with its Command, and tests only what is its own.
package bbcmdtest

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
)

// Run runs one command of cmd as the binary does, with env as its whole environment.
func Run[C any](cmd bbcmd.Command[C], args []string, env map[string]string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = cmd.Run(context.Background(), args, env, &out, &errOut)
	return code, out.String(), errOut.String()
}

// commonWords are what every BB's -h names: the standard commands and the settings bbcmd reads for it.
var commonWords = []string{"serve", "migrate", "healthcheck", "GOVSTACK_DATABASE_URL", "GOVSTACK_NATS_URL",
	"GOVSTACK_GRPC_ADDR", "GOVSTACK_METRICS_ADDR", "GOVSTACK_LOG_LEVEL", "GOVSTACK_SHUTDOWN_TIMEOUT",
	"GOVSTACK_IM_KEYS_URL", "GOVSTACK_IM_ALLOW_DIRECT_CALLS", "OTEL_EXPORTER_OTLP_ENDPOINT"}

// CommandLine checks cmd's command line as every BB's binary has it:
//   - -h exits 0 with a usage naming the standard commands (seed when the BB has Seed), the common settings
//     with the BB's database and default gRPC address, every variable its Config reads beyond them, and words;
//   - each of those variables is described in cmd.Settings, which describes no other;
//   - no command prints the usage and exits 2; an unknown command exits 2 and names it;
//   - a bad GOVSTACK_LOG_LEVEL exits 1 and names the variable; so does serve without GOVSTACK_NATS_URL.
func CommandLine[C any](t testing.TB, cmd bbcmd.Command[C], words ...string) {
	t.Helper()
	code, usage, _ := Run(cmd, []string{"-h"}, nil)
	if code != bbcmd.ExitOK {
		t.Errorf("-h: exit %d, want %d", code, bbcmd.ExitOK)
	}
	want := slices.Concat(commonWords, []string{"govstack_" + cmd.Name, cmd.DefaultGRPCAddr}, words)
	if cmd.Seed != nil {
		want = append(want, "seed")
	}
	own := bbcmd.OwnSettings[C]()
	for _, w := range append(want, own...) {
		if !strings.Contains(usage, w) {
			t.Errorf("usage lacks %s", w)
		}
	}
	if cmd.Seed == nil && strings.Contains(usage, "  seed") {
		t.Error("usage lists seed, which this BB does not have")
	}
	described := maps.Clone(cmd.Settings)
	for _, s := range own {
		if described[s] == "" {
			t.Errorf("Settings does not describe %s, which the Config reads", s)
		}
		delete(described, s)
	}
	for s := range described {
		t.Errorf("Settings describes %s, which the Config does not read", s)
	}

	if code, _, errOut := Run(cmd, nil, nil); code != bbcmd.ExitUsage || !strings.Contains(errOut, "Usage") {
		t.Errorf("no command: exit %d, stderr %q; want %d and the usage", code, errOut, bbcmd.ExitUsage)
	}
	if code, _, errOut := Run(cmd, []string{"dance"}, nil); code != bbcmd.ExitUsage ||
		!strings.Contains(errOut, `unknown command "dance"`) {
		t.Errorf("unknown command: exit %d, stderr %q; want %d naming it", code, errOut, bbcmd.ExitUsage)
	}
	ConfigError(t, cmd, "migrate", map[string]string{"GOVSTACK_LOG_LEVEL": "loud"}, "GOVSTACK_LOG_LEVEL")
	ConfigError(t, cmd, "serve", map[string]string{}, "GOVSTACK_NATS_URL")
}

// ConfigError checks that command, run with env, fails with exit 1 and an error naming each of want (the
// variable to fix, and what to set it to).
func ConfigError[C any](t testing.TB, cmd bbcmd.Command[C], command string, env map[string]string, want ...string) {
	t.Helper()
	code, _, errOut := Run(cmd, []string{command}, env)
	if code != bbcmd.ExitFailure {
		t.Errorf("%s with %v: exit %d, want %d; stderr %q", command, env, code, bbcmd.ExitFailure, errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("%s with %v: stderr %q does not name %s", command, env, errOut, w)
		}
	}
}

// ServesAndStops runs the BB as serve does (cmd.ServeOn) with the settings env adds to a test's (any gRPC
// port, the IM's keys at an address health checks never need), on a fresh database and an in-process NATS.
// It checks that the BB answers its gRPC health check SERVING and that the container health check
// (`healthcheck`, the same binary with the same settings) exits 0 while it serves; then cancels it and
// checks that serve returns cleanly and healthcheck fails.
func ServesAndStops[C any](t testing.TB, cmd bbcmd.Command[C], env map[string]string) {
	t.Helper()
	vars := map[string]string{"GOVSTACK_GRPC_ADDR": "127.0.0.1:0", "GOVSTACK_SHUTDOWN_TIMEOUT": "5s",
		"GOVSTACK_IM_KEYS_URL": "http://127.0.0.1:1/keys"}
	maps.Copy(vars, env)
	cfg, err := config.LoadFrom[C](vars)
	if err != nil {
		t.Fatal(err)
	}
	_, js := natstest.Start(t)
	conns := bbcmd.Conns{Pool: pgtest.NewPool(t, bbcmd.WithPlatformMigrations(cmd.Migrations())...),
		JetStream: js, Logger: slog.New(slog.DiscardHandler)}

	ctx := context.Background()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- cmd.ServeOn(runCtx, cfg, conns, func(s *grpcserver.Server) { addr <- s.Addr().String() })
	}()
	var target string
	select {
	case target = <-addr:
	case err := <-done:
		t.Fatalf("serve returned early: %v", err)
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health = %v, %v", resp, err)
	}
	healthcheck := func() (int, string) {
		code, _, errOut := Run(cmd, []string{"healthcheck"}, map[string]string{"GOVSTACK_GRPC_ADDR": target})
		return code, errOut
	}
	if code, msg := healthcheck(); code != 0 {
		t.Errorf("healthcheck while serving: exit %d, %s", code, msg)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of cancel")
	}
	if code, _ := healthcheck(); code == 0 {
		t.Error("healthcheck after stop: exit 0, want a failure")
	}
}
