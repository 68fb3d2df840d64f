package grpcserver

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/govstackbb/marketplace/platform/imident"
)

// testService answers /test.Test/{Ok,Panic,Slow}. Slow signals started and then waits for release or for
// its context to end, so a test controls exactly when it finishes.
type testService struct {
	started chan struct{}
	release chan struct{}
}

func unary(name string, fn func(ctx context.Context) error) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(ctx context.Context, _ any) (any, error) { return &emptypb.Empty{}, fn(ctx) }
			if icpt == nil {
				return h(ctx, in)
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/test.Test/" + name}, h)
		},
	}
}

func (ts *testService) register(s *grpc.Server) {
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "test.Test",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			unary("Ok", func(context.Context) error { return nil }),
			unary("Panic", func(context.Context) error { panic("boom: secret") }),
			unary("Refused", func(context.Context) error { return status.Error(codes.InvalidArgument, "no") }),
			echo,
			unary("Slow", func(ctx context.Context) error {
				close(ts.started)
				select {
				case <-ts.release:
					return nil
				case <-ctx.Done():
					return status.FromContextError(ctx.Err()).Err()
				}
			}),
		},
	}, ts)
}

// syncBuffer lets the server goroutines log while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

type running struct {
	srv    *Server
	svc    *testService
	conn   *grpc.ClientConn
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, o Options) *running {
	t.Helper()
	logs := &syncBuffer{}
	o.Name = "test"
	o.Addr = "127.0.0.1:0"
	o.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := New(o)
	svc := &testService{started: make(chan struct{}), release: make(chan struct{})}
	svc.register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	r := &running{srv: srv, svc: svc, conn: conn, logs: logs, cancel: cancel, done: done}
	t.Cleanup(func() {
		cancel()
		conn.Close()
		r.wait(t)
	})
	return r
}

// wait returns Run's result, failing the test if Run does not return within a generous deadline.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // keep it for Cleanup
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func (r *running) invoke(ctx context.Context, method string) error {
	return r.conn.Invoke(ctx, "/test.Test/"+method, &emptypb.Empty{}, &emptypb.Empty{})
}

func TestHealthAndReflection(t *testing.T) {
	r := start(t, Options{})
	hc := healthpb.NewHealthClient(r.conn)
	for _, svc := range []string{"", "test.Test"} {
		resp, err := hc.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
		if err != nil || resp.Status != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("health(%q) = %v, %v; want SERVING", svc, resp, err)
		}
	}
	if _, ok := r.srv.GRPC().GetServiceInfo()["grpc.reflection.v1.ServerReflection"]; !ok {
		t.Error("reflection not registered")
	}
}

func TestPanicBecomesInternal(t *testing.T) {
	r := start(t, Options{})
	err := r.invoke(context.Background(), "Panic")
	if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
		t.Fatalf("got %v %q, want Internal \"internal error\"", st.Code(), st.Message())
	}
	// The server survives the panic.
	if err := r.invoke(context.Background(), "Ok"); err != nil {
		t.Fatalf("call after panic: %v", err)
	}
	var found bool
	for _, l := range r.logs.lines(t) {
		if l["msg"] == "panic in gRPC handler" {
			found = true
			if l["panic"] != "boom: secret" || !strings.Contains(l["stack"].(string), "grpcserver") ||
				l["method"] != "/test.Test/Panic" {
				t.Errorf("panic log lacks details: %v", l)
			}
		}
	}
	if !found {
		t.Error("panic not logged")
	}
}

func TestRequestLogAndInterceptorOrder(t *testing.T) {
	var order []string
	mark := func(name string) grpc.UnaryServerInterceptor {
		return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			order = append(order, name)
			return h(ctx, req)
		}
	}
	r := start(t, Options{Unary: []grpc.UnaryServerInterceptor{mark("a"), mark("b")}})
	ctx := imident.AppendToOutgoing(context.Background(), imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "x"})
	ctx = metadata.AppendToOutgoingContext(ctx, "unrelated", "v")
	if err := r.invoke(ctx, "Ok"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "a,b" {
		t.Errorf("custom interceptors ran as %v", order)
	}
	var line map[string]any
	for _, l := range r.logs.lines(t) {
		if l["method"] == "/test.Test/Ok" {
			line = l
		}
	}
	if line == nil {
		t.Fatal("no request log line")
	}
	if line["code"] != "OK" || line["client"] != "EE/GOV/1/x" || line["service"] != "test" || line["level"] != "INFO" {
		t.Errorf("log line = %v", line)
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("duration_ms missing: %v", line)
	}
	if id, _ := line["trace_id"].(string); len(id) != 32 {
		t.Errorf("trace_id = %q, want a 32-hex id from the otelgrpc span", id)
	}
}

// A quiet method (a long poll) that succeeds is logged at debug; when it fails, at its usual level.
func TestQuietMethodsLogAtDebugWhenTheySucceed(t *testing.T) {
	r := start(t, Options{QuietMethods: []string{"/test.Test/Ok", "/test.Test/Refused"}})
	if err := r.invoke(context.Background(), "Ok"); err != nil {
		t.Fatal(err)
	}
	if err := r.invoke(context.Background(), "Refused"); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("Refused answered %v", err)
	}
	levels := map[any]any{}
	for _, l := range r.logs.lines(t) {
		if l["msg"] == "gRPC call" {
			levels[l["method"]] = l["level"]
		}
	}
	if levels["/test.Test/Ok"] != "DEBUG" || levels["/test.Test/Refused"] != "INFO" {
		t.Errorf("levels %v, want Ok at DEBUG and Refused at INFO", levels)
	}
}
