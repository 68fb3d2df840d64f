package idempotency_test

import (
	"context"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
)

// A BB's own keeper (Payments: key X-CorrelationID, scope tenant and client, 202 while running) runs before
// the generic one every BB has; the generic one must then see no key.
func startWithOptions(t *testing.T, w *work, o idempotency.Options) healthpb.HealthClient {
	t.Helper()
	pool := pgtest.NewPool(t, idempotency.Migrations)
	o.Lease = time.Minute
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(
		idempotency.Interceptor("test", pool, o),
		idempotency.Interceptor("test", pool, idempotency.Options{}), // the generic keeper bbcmd adds
		func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			if md, _ := metadata.FromIncomingContext(ctx); len(md.Get(idempotency.MetadataKey)) > 0 {
				t.Error("the handler still sees the idempotency key: the inner keeper would keep the call again")
			}
			return h(ctx, req)
		}))
	healthpb.RegisterHealthServer(srv, w)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(l.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn)
}

func correlationOptions() idempotency.Options {
	return idempotency.Options{
		Key: func(ctx context.Context, _ string) (string, bool) {
			md, _ := metadata.FromIncomingContext(ctx)
			if v := md.Get("x-correlationid"); len(v) > 0 {
				return v[0], true
			}
			if v := md.Get(idempotency.MetadataKey); len(v) > 0 {
				return v[0], true
			}
			return "", false
		},
		Scope: func(ctx context.Context) string {
			md, _ := metadata.FromIncomingContext(ctx)
			return "tenant=" + first(md.Get("tenant"))
		},
		InProgress: func(_ context.Context, _ string, req proto.Message) (proto.Message, error) {
			return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVICE_UNKNOWN}, nil
		},
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func tenantCall(tenant string, kv ...string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), append([]string{"tenant", tenant}, kv...)...)
}

func TestACustomKeyAndScope(t *testing.T) {
	w := &work{}
	c := startWithOptions(t, w, correlationOptions())
	req := &healthpb.HealthCheckRequest{Service: "pay"}
	for range 2 {
		if _, err := c.Check(tenantCall("a", "x-correlationid", "c-1"), req); err != nil {
			t.Fatal(err)
		}
	}
	if w.done.Load() != 1 {
		t.Fatalf("the same correlation id twice did the work %d times", w.done.Load())
	}
	// The same id in another tenant is another request; an Idempotency-Key works as the key too.
	if _, err := c.Check(tenantCall("b", "x-correlationid", "c-1"), req); err != nil || w.done.Load() != 2 {
		t.Fatalf("another tenant: %v, done %d", err, w.done.Load())
	}
	for range 2 {
		if _, err := c.Check(tenantCall("a", idempotency.MetadataKey, "k-1"), req); err != nil {
			t.Fatal(err)
		}
	}
	if w.done.Load() != 3 {
		t.Fatalf("Idempotency-Key twice: done %d, want 3", w.done.Load())
	}
	_, err := c.Check(tenantCall("a", "x-correlationid", "c-1"), &healthpb.HealthCheckRequest{Service: "other"})
	if status.Code(err) != codes.AlreadyExists {
		t.Fatalf("a changed body under the same id: %v, want AlreadyExists", err)
	}
}

// While the first request runs, a retry is answered 202 with the current state, not 409.
func TestRetryWhileRunningIsAccepted(t *testing.T) {
	w := &work{release: make(chan struct{}), entered: make(chan struct{}, 1)}
	c := startWithOptions(t, w, correlationOptions())
	req := &healthpb.HealthCheckRequest{Service: "pay"}
	first := make(chan error, 1)
	go func() {
		_, err := c.Check(tenantCall("a", "x-correlationid", "slow"), req)
		first <- err
	}()
	// The retries start once the first request runs: a retry that came first would be the one running,
	// waiting for a release that only comes after a 202.
	select {
	case <-w.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first request never reached the work")
	}
	var hdr metadata.MD
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := c.Check(tenantCall("a", "x-correlationid", "slow"), req, grpc.Header(&hdr))
		if err != nil {
			t.Fatal(err)
		}
		if got := hdr.Get("x-http-code"); len(got) == 1 && got[0] == "202" {
			if r.GetStatus() != healthpb.HealthCheckResponse_SERVICE_UNKNOWN {
				t.Fatalf("202 with %v, want the current state", r)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the retry was never answered 202 while the first request ran")
		}
	}
	close(w.release)
	if err := <-first; err != nil || w.done.Load() != 1 {
		t.Fatalf("first: %v, done %d", err, w.done.Load())
	}
}

// A secret the first answer shows once is not kept: the replay shows the rest.
func TestRedactedAnswersAreKept(t *testing.T) {
	w := &work{}
	o := correlationOptions()
	o.Redact = func(_ string, resp proto.Message) proto.Message {
		resp.(*healthpb.HealthCheckResponse).Status = healthpb.HealthCheckResponse_UNKNOWN
		return resp
	}
	c := startWithOptions(t, w, o)
	req := &healthpb.HealthCheckRequest{Service: "voucher"}
	first, err := c.Check(tenantCall("a", "x-correlationid", "v-1"), req)
	if err != nil || first.GetStatus() != 1 {
		t.Fatalf("first answer: %v, %v", first, err)
	}
	again, err := c.Check(tenantCall("a", "x-correlationid", "v-1"), req)
	if err != nil || again.GetStatus() != healthpb.HealthCheckResponse_UNKNOWN || w.done.Load() != 1 {
		t.Fatalf("replay: %v, %v (done %d), want the redacted answer", again, err, w.done.Load())
	}
}
