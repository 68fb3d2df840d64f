package grpcserver

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

func TestMain(m *testing.M) {
	// Spans need a real provider to get ids; the default global one is a no-op.
	otel.SetTracerProvider(sdktrace.NewTracerProvider())
	os.Exit(m.Run())
}

func TestGracefulShutdownFinishesInFlightCall(t *testing.T) {
	r := start(t, Options{ShutdownTimeout: time.Minute})
	ctx := context.Background()

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watch, err := healthpb.NewHealthClient(r.conn).Watch(watchCtx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := watch.Recv(); err != nil || resp.Status != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("first health status %v, %v; want SERVING", resp, err)
	}

	slow := make(chan error, 1)
	go func() { slow <- r.invoke(ctx, "Slow") }()
	<-r.svc.started

	r.cancel()
	if resp, err := watch.Recv(); err != nil || resp.Status != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("health after cancel %v, %v; want NOT_SERVING", resp, err)
	}
	stopWatch() // a Watch stream never ends by itself and would hold up GracefulStop

	select {
	case err := <-r.done:
		t.Fatalf("Run returned %v while a call was in flight", err)
	case err := <-slow:
		t.Fatalf("in-flight call ended before release: %v", err)
	default:
	}
	close(r.svc.release)
	select {
	case err := <-slow:
		if err != nil {
			t.Fatalf("in-flight call failed during graceful stop: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("in-flight call did not finish")
	}
	if err := r.wait(t); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
}

func TestShutdownTimeoutStopsStuckCall(t *testing.T) {
	r := start(t, Options{ShutdownTimeout: 50 * time.Millisecond})
	slow := make(chan error, 1)
	go func() { slow <- r.invoke(context.Background(), "Slow") }()
	<-r.svc.started

	r.cancel()
	if err := r.wait(t); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	select {
	case err := <-slow:
		if code := status.Code(err); code != codes.Unavailable && code != codes.Canceled {
			t.Errorf("stuck call ended with %v, want Unavailable or Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stuck call was not cancelled by Stop")
	}
	found := false
	for _, l := range r.logs.lines(t) {
		found = found || strings.Contains(l["msg"].(string), "graceful stop timed out")
	}
	if !found {
		t.Error("the forced stop was not logged")
	}
}

func TestListenErrors(t *testing.T) {
	if err := New(Options{}).Run(context.Background()); err == nil || !strings.Contains(err.Error(), "GOVSTACK_GRPC_ADDR") {
		t.Errorf("Run without an address = %v", err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	err = New(Options{Addr: taken.Addr().String()}).Listen()
	if err == nil || !strings.Contains(err.Error(), taken.Addr().String()) {
		t.Errorf("Listen on a taken port = %v", err)
	}
}

func TestRunWithListenerReportsServeError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Listener: ln})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	if s.Addr().String() != ln.Addr().String() {
		t.Errorf("Addr = %v, want %v", s.Addr(), ln.Addr())
	}
	ln.Close() // Serve fails at once on a closed listener
	err = s.Run(context.Background())
	if err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want the Serve error", err)
	}
}

func TestRunAfterCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New(Options{Addr: "127.0.0.1:0"}).Run(ctx); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
}
