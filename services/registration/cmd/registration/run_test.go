package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/govstackbb/marketplace/services/registration"
)

func runWith(args []string, env map[string]string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, env, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	code, out, _ := runWith([]string{"-h"}, nil)
	if code != exitOK {
		t.Errorf("-h exit code %d", code)
	}
	for _, v := range []string{"serve", "migrate", "seed", "GOVSTACK_DATABASE_URL", "GOVSTACK_NATS_URL", "GOVSTACK_GRPC_ADDR",
		"GOVSTACK_LOG_LEVEL", "GOVSTACK_SHUTDOWN_TIMEOUT", "GOVSTACK_IM_GRPC_ADDR", "GOVSTACK_REGISTRATION_IM_API_KEY", "GOVSTACK_REGISTRATION_PUBLIC_URL", "GOVSTACK_REGISTRATION_ADMIN_EMAIL", registration.DefaultGRPCAddr} {
		if !strings.Contains(out, v) {
			t.Errorf("usage lacks %s", v)
		}
	}
	if code, _, errOut := runWith(nil, nil); code != exitUsage || !strings.Contains(errOut, "Usage") {
		t.Errorf("no command: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runWith([]string{"dance"}, nil); code != exitUsage || !strings.Contains(errOut, `unknown command "dance"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	code, _, errOut := runWith([]string{"migrate"}, map[string]string{"GOVSTACK_LOG_LEVEL": "loud"})
	if code != exitFailure || !strings.Contains(errOut, "GOVSTACK_LOG_LEVEL") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runWith([]string{"serve"}, map[string]string{})
	if code != exitFailure || !strings.Contains(errOut, "GOVSTACK_NATS_URL") {
		t.Errorf("serve without NATS: exit %d, stderr %q", code, errOut)
	}
}

// TestServeWithServesAndStops runs the BB as serve does, checks it answers health, and
// that cancelling the context stops it cleanly.
func TestServeWithServesAndStops(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, registration.Migrations()...)
	_, js := natstest.Start(t)
	cfg := registration.Config{IMAddr: "127.0.0.1:1", IMClient: "GOVSTACK/GOV/GOVSTACK/registration"} // Registries is dialled lazily: not called here
	cfg.GRPCAddr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	deps := registration.Deps{Pool: pool, JetStream: js, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}

	runCtx, cancel := context.WithCancel(ctx)
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveWith(runCtx, cfg, deps, func(s *grpcserver.Server) { addr <- s.Addr().String() })
	}()
	var target string
	select {
	case target = <-addr:
	case err := <-done:
		t.Fatalf("serveWith returned early: %v", err)
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
	// The container health check: the same binary, the same settings, exit 0 while serving.
	var hcOut, hcErr bytes.Buffer
	if code := run(ctx, []string{"healthcheck"}, map[string]string{"GOVSTACK_GRPC_ADDR": target}, &hcOut, &hcErr); code != 0 {
		t.Errorf("healthcheck while serving: exit %d, %s", code, hcErr.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveWith after cancel = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveWith did not stop within 10s of cancel")
	}
	if code := run(ctx, []string{"healthcheck"}, map[string]string{"GOVSTACK_GRPC_ADDR": target}, &hcOut, &hcErr); code == 0 {
		t.Error("healthcheck after stop: exit 0, want a failure")
	}
}
