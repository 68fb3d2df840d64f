package idempotency_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
)

// work stands in for a BB's mutating RPC: each call that reaches it is one unit of work (a created record).
type work struct {
	healthpb.UnimplementedHealthServer
	// commit, when set, is a BB transaction the work runs; lostAck then fails the call after it committed,
	// as a handler does whose commit acknowledgement was lost.
	commit  func(ctx context.Context) error
	lostAck atomic.Bool
	done    atomic.Int64
	fail    atomic.Int64  // the next n calls fail as Unavailable
	release chan struct{} // when set, a call waits for it before doing the work
	entered chan struct{} // when set, a call that reaches the work says so before it waits for release
}

func (w *work) Check(ctx context.Context, r *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if w.entered != nil {
		w.entered <- struct{}{}
	}
	if w.release != nil {
		<-w.release
	}
	if w.fail.Add(-1) >= 0 {
		return nil, status.Error(codes.Unavailable, "database away")
	}
	if w.commit != nil {
		if err := w.commit(ctx); err != nil {
			return nil, status.Error(codes.Unavailable, err.Error())
		}
		if w.lostAck.Load() {
			return nil, status.Error(codes.Unavailable, "connection lost during COMMIT")
		}
	}
	n := w.done.Add(1)
	_ = grpc.SetHeader(ctx, metadata.Pairs("x-http-code", "201"))
	switch r.GetService() {
	case "bad":
		return nil, status.Error(codes.InvalidArgument, "bad service")
	case "taken":
		// What a BB's handler returns: a domain error, mapped to a gRPC status only by the BB's error
		// interceptor, which runs outside this one.
		return nil, apierr.New(apierr.KindAlreadyExists, "RECORD_EXISTS", "a record with this key exists")
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_ServingStatus(n)}, nil
}

type fixture struct {
	pool   *pgxpool.Pool
	work   *work
	client healthpb.HealthClient
}

func start(t *testing.T, w *work) *fixture {
	t.Helper()
	pool := pgtest.NewPool(t, idempotency.Migrations)
	// As in every BB: the error interceptor outside, the keeper inside, next to the handler.
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(grpcerr.UnaryServerInterceptor("test", nil),
		idempotency.Interceptor("test", pool, idempotency.Options{Lease: time.Minute})))
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
	return &fixture{pool: pool, work: w, client: healthpb.NewHealthClient(conn)}
}

func withKey(key string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), idempotency.MetadataKey, key,
		imident.MetadataKey, "EE/GOV/1/portal")
}

func TestSameKeySameRequestIsDoneOnce(t *testing.T) {
	f := start(t, &work{})
	req := &healthpb.HealthCheckRequest{Service: "create"}
	var first, again metadata.MD
	r1, err := f.client.Check(withKey("k-1"), req, grpc.Header(&first))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.client.Check(withKey("k-1"), req, grpc.Header(&again))
	if err != nil {
		t.Fatal(err)
	}
	if f.work.done.Load() != 1 || r1.GetStatus() != r2.GetStatus() {
		t.Fatalf("work done %d times; answers %v and %v", f.work.done.Load(), r1, r2)
	}
	if got := again.Get("x-http-code"); len(got) != 1 || got[0] != "201" {
		t.Errorf("the replay lost the response header: %v", again)
	}
	// Without a key every call is new work; another client's same key is its own.
	if _, err := f.client.Check(context.Background(), req); err != nil || f.work.done.Load() != 2 {
		t.Fatalf("no key: %v, done %d", err, f.work.done.Load())
	}
	other := metadata.AppendToOutgoingContext(context.Background(), idempotency.MetadataKey, "k-1", imident.MetadataKey, "EE/GOV/2/other")
	if _, err := f.client.Check(other, req); err != nil || f.work.done.Load() != 3 {
		t.Fatalf("another client's key: %v, done %d", err, f.work.done.Load())
	}
}

func TestSameKeyDifferentRequestIsRefused(t *testing.T) {
	f := start(t, &work{})
	if _, err := f.client.Check(withKey("k-2"), &healthpb.HealthCheckRequest{Service: "a"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.client.Check(withKey("k-2"), &healthpb.HealthCheckRequest{Service: "b"})
	if status.Code(err) != codes.AlreadyExists || f.work.done.Load() != 1 {
		t.Fatalf("different body: %v (done %d), want AlreadyExists", err, f.work.done.Load())
	}
}

func TestErrorsAreKeptUnlessRetryable(t *testing.T) {
	f := start(t, &work{})
	f.work.fail.Store(1)
	req := &healthpb.HealthCheckRequest{Service: "x"}
	if _, err := f.client.Check(withKey("k-3"), req); status.Code(err) != codes.Unavailable {
		t.Fatalf("first call: %v", err)
	}
	if _, err := f.client.Check(withKey("k-3"), req); err != nil || f.work.done.Load() != 1 {
		t.Fatalf("a retry after Unavailable must do the work: %v, done %d", err, f.work.done.Load())
	}
	bad := &healthpb.HealthCheckRequest{Service: "bad"}
	for range 2 {
		if _, err := f.client.Check(withKey("k-4"), bad); status.Code(err) != codes.InvalidArgument {
			t.Fatalf("bad request: %v", err)
		}
	}
	if f.work.done.Load() != 2 {
		t.Fatalf("a kept refusal was worked again: done %d", f.work.done.Load())
	}
	// A refusal the handler returns as a domain error is kept too: a retry is told the same, not worked again.
	taken := &healthpb.HealthCheckRequest{Service: "taken"}
	for range 2 {
		if _, err := f.client.Check(withKey("k-5"), taken); status.Code(err) != codes.AlreadyExists {
			t.Fatalf("a domain refusal: %v, want AlreadyExists", err)
		}
	}
	if f.work.done.Load() != 3 {
		t.Fatalf("a kept domain refusal was worked again: done %d", f.work.done.Load())
	}
	if _, err := f.client.Check(withKey("bad key with spaces"), req); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("invalid key: %v", err)
	}
}

// Fifty clients retrying the same request at once: the work is done exactly once; the others get the
// answer, or are told to retry while it is still running.
func TestConcurrentRetriesDoTheWorkOnce(t *testing.T) {
	f := start(t, &work{})
	req := &healthpb.HealthCheckRequest{Service: "pay"}
	var wg sync.WaitGroup
	var answered, busy atomic.Int64
	for range 50 {
		wg.Go(func() {
			_, err := f.client.Check(withKey("k-5"), req)
			switch status.Code(err) {
			case codes.OK:
				answered.Add(1)
			case codes.Aborted:
				busy.Add(1)
			default:
				t.Errorf("unexpected answer %v", err)
			}
		})
	}
	wg.Wait()
	if f.work.done.Load() != 1 || answered.Load() == 0 || answered.Load()+busy.Load() != 50 {
		t.Fatalf("done %d, answered %d, busy %d", f.work.done.Load(), answered.Load(), busy.Load())
	}
}

// The first answer is lost (the client's deadline passes while the work commits): the retry gets it.
func TestRetryAfterALostAnswer(t *testing.T) {
	w := &work{release: make(chan struct{})}
	f := start(t, w)
	req := &healthpb.HealthCheckRequest{Service: "create"}
	ctx, cancel := context.WithTimeout(withKey("k-6"), 50*time.Millisecond)
	defer cancel()
	if _, err := f.client.Check(ctx, req); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("first call: %v, want DeadlineExceeded", err)
	}
	close(w.release) // the work goes on and commits after the client gave up
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := f.client.Check(withKey("k-6"), req)
		if err == nil {
			if w.done.Load() != 1 || r.GetStatus() != 1 {
				t.Fatalf("retry: %v, done %d", r, w.done.Load())
			}
			return
		}
		if status.Code(err) != codes.Aborted || time.Now().After(deadline) {
			t.Fatalf("retry: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A claim whose process died (lease over, no answer) is taken over by the next retry.
func TestAnAbandonedClaimIsTakenOver(t *testing.T) {
	f := start(t, &work{})
	req := &healthpb.HealthCheckRequest{Service: "x"}
	if _, err := f.client.Check(withKey("k-7"), req); err != nil {
		t.Fatal(err)
	}
	// Make it look like a process claimed it and died before answering.
	if _, err := f.pool.Exec(context.Background(), `UPDATE idempotency_key SET state = 'running',
		lease_until = now() - interval '1 second', response = NULL WHERE key = 'k-7'`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Check(withKey("k-7"), req); err != nil || f.work.done.Load() != 2 {
		t.Fatalf("takeover: %v, done %d", err, f.work.done.Load())
	}
}

// The work committed but the handler saw a failure (the commit's acknowledgement was lost, as when the
// database goes away at that moment): the retry must not do it again, and is told the work was done — not
// a conflict with someone else's record.
func TestCommittedWorkIsNotRedoneWhenItsAnswerWasLost(t *testing.T) {
	w := &work{}
	f := start(t, w)
	if _, err := f.pool.Exec(t.Context(), `CREATE TABLE created (id serial PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	w.commit = func(ctx context.Context) error {
		return pgstore.InTx(ctx, f.pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO created DEFAULT VALUES`)
			return err
		})
	}
	w.lostAck.Store(true)
	req := &healthpb.HealthCheckRequest{Service: "create"}
	if _, err := f.client.Check(withKey("k-lost"), req); status.Code(err) != codes.Unavailable {
		t.Fatalf("first call: %v, want Unavailable", err)
	}
	w.lostAck.Store(false)
	_, err := f.client.Check(withKey("k-lost"), req)
	if st := status.Convert(err); st.Code() != codes.AlreadyExists || !strings.Contains(st.Message(), "was carried out") {
		t.Fatalf("retry: %v, want AlreadyExists saying the request was carried out", err)
	}
	var n int
	if err := f.pool.QueryRow(t.Context(), `SELECT count(*) FROM created`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d rows created (%v), want 1", n, err)
	}
}
