// Package bbcmdtest checks every BB binary's serve and healthcheck commands the same way.
package bbcmdtest

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/govstackbb/marketplace/platform/grpcserver"
)

// ServeFunc runs a BB as `serve` does and calls ready once it listens.
type ServeFunc func(ctx context.Context, ready func(*grpcserver.Server)) error

// RunFunc is a BB binary's entry point (its run function).
type RunFunc func(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int

// ServesAndStops runs serve, checks that the BB answers its gRPC health check SERVING and that the
// container health check (`healthcheck`, the same binary with the same settings) exits 0 while it serves;
// then cancels it and checks that serve returns cleanly and healthcheck fails.
func ServesAndStops(t *testing.T, serve ServeFunc, run RunFunc) {
	t.Helper()
	ctx := context.Background()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(runCtx, func(s *grpcserver.Server) { addr <- s.Addr().String() }) }()
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
		var out, errOut bytes.Buffer
		code := run(ctx, []string{"healthcheck"}, map[string]string{"GOVSTACK_GRPC_ADDR": target}, &out, &errOut)
		return code, errOut.String()
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
