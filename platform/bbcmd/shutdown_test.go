package bbcmd

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
)

// slowBB answers every call only when released, and notes when its calls finish and its background work
// (what Run does: relays, consumers, timers) is told to stop.
type slowBB struct {
	started, release chan struct{}
	mu               sync.Mutex
	events           []string
}

func (b *slowBB) note(e string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events = append(b.events, e)
}

func (b *slowBB) Register(*grpc.Server)                            {}
func (b *slowBB) UnaryInterceptors() []grpc.UnaryServerInterceptor { return nil }
func (b *slowBB) Run(ctx context.Context) error {
	<-ctx.Done()
	b.note("background work stopped")
	return nil
}
func (b *slowBB) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.UnknownServiceHandler(func(_ any, s grpc.ServerStream) error {
		if err := s.RecvMsg(&emptypb.Empty{}); err != nil {
			return err
		}
		close(b.started)
		<-b.release
		b.note("call finished")
		return s.SendMsg(&emptypb.Empty{})
	})}
}

type slowConfig struct{ config.Common }

// A call in flight when the BB is told to stop (SIGTERM) is answered, and the BB's background work stops
// only after it: the outbox relay still publishes what that call commits.
func TestACallInFlightAtStopCompletesBeforeBackgroundWorkStops(t *testing.T) {
	bb := &slowBB{started: make(chan struct{}), release: make(chan struct{})}
	cmd := Command[slowConfig]{Name: "slow"}
	cfg := slowConfig{config.Common{GRPCAddr: "127.0.0.1:0", AllowDirectCalls: true, ShutdownTimeout: time.Minute}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	addr := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- cmd.Serve(ctx, cfg, bb, nil, slog.New(slog.DiscardHandler),
			func(s *grpcserver.Server) { addr <- s.Addr().String() })
	}()
	conn, err := grpc.NewClient(<-addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	watchCtx, stopWatch := context.WithCancel(context.Background())
	defer stopWatch()
	watch, err := healthpb.NewHealthClient(conn).Watch(watchCtx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := watch.Recv(); err != nil || resp.Status != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health %v, %v; want SERVING", resp, err)
	}
	call := make(chan error, 1)
	go func() {
		call <- conn.Invoke(context.Background(), "/test.Slow/Call", &emptypb.Empty{}, &emptypb.Empty{})
	}()
	<-bb.started

	stop() // SIGTERM
	if resp, err := watch.Recv(); err != nil || resp.Status != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("health after stop %v, %v; want NOT_SERVING", resp, err)
	}
	stopWatch() // a Watch never ends by itself and would hold up the graceful stop
	close(bb.release)
	if err := <-call; err != nil {
		t.Fatalf("the call in flight at stop failed: %v", err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after the call finished")
	}
	if !slices.Equal(bb.events, []string{"call finished", "background work stopped"}) {
		t.Errorf("order %v, want the call finished before the background work stopped", bb.events)
	}
}
