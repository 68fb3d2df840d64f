package scheduling_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// testNow is the tests' "now": Wednesday 24 March 2027, the week Tallinn moves to summer time (Sunday 28th).
var testNow = time.Date(2027, 3, 24, 12, 0, 0, 0, time.UTC)

// clock is a settable clock shared by the service and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// env is a running BB: real Postgres, in-process NATS, a gRPC server on a free port and clients of it. The
// clients are a hospital's back office: the IM vouches on every call that they hold the personal-data right
// (as it does for a client an operator granted it). anonymousBooking is the same BB called by an IM client
// without that right, and anon its connection (which the gateway stand-in of the REST tests uses, adding
// only what the IM would).
type env struct {
	anon             *grpc.ClientConn
	anonymousBooking schedulingv1.BookingServiceClient
	booking          schedulingv1.BookingServiceClient
	directory        schedulingv1.DirectoryServiceClient
	deadlines        schedulingv1.DeadlineServiceClient
	crud             schedulingv1.SchedulerServiceClient
	js               jetstream.JetStream
	pool             *pgxpool.Pool
	clock            *clock
	svc              *scheduling.Service
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testConfig() scheduling.Config {
	var cfg scheduling.Config
	cfg.TimerPollInterval = 50 * time.Millisecond
	cfg.TokenIssuer = scheduling.DefaultTokenIssuer
	return cfg
}

// start runs the BB without a source of user-token keys, as a deployment without GOVSTACK_JWKS_URL.
func start(t testing.TB) env {
	t.Helper()
	return startWith(t, nil)
}

// startWith runs the BB verifying user tokens against keys (nil: none configured).
func startWith(t testing.TB, keys usertoken.KeySource) env {
	t.Helper()
	return startConfigured(t, keys, nil)
}

// startConfigured is startWith with the deployment's settings changed by configure (may be nil).
func startConfigured(t testing.TB, keys usertoken.KeySource, configure func(*scheduling.Config)) env {
	t.Helper()
	return startOn(t, pgtest.NewPool(t, scheduling.Migrations()...), keys, configure)
}

// startOn is startConfigured on pool (migrated), e.g. one with few connections.
func startOn(t testing.TB, pool *pgxpool.Pool, keys usertoken.KeySource, configure func(*scheduling.Config)) env {
	t.Helper()
	ctx := context.Background()
	if err := scheduling.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	_, js := natstest.Start(t)
	clk := &clock{t: testNow}
	log := quietLog()
	cfg := testConfig()
	if configure != nil {
		configure(&cfg)
	}
	svc, err := scheduling.New(cfg, scheduling.Deps{Pool: pool, JetStream: js, Logger: log, Now: clk.Now, TokenKeys: keys})
	if err != nil {
		t.Fatal(err)
	}
	srv := grpcserver.New(grpcserver.Options{Name: scheduling.Name, Addr: "127.0.0.1:0", Logger: log,
		Unary: svc.UnaryInterceptors(), ShutdownTimeout: 5 * time.Second})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(runCtx)
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { return svc.Run(gctx) })
	backOffice := grpc.WithUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(imident.WithPersonalDataRight(ctx), method, req, reply, cc, opts...)
	})
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()), backOffice)
	if err != nil {
		t.Fatal(err)
	}
	anon, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = anon.Close()
		_ = conn.Close()
		cancel()
		if err := g.Wait(); err != nil {
			t.Errorf("service stopped with %v", err)
		}
	})
	return env{anon: anon, anonymousBooking: schedulingv1.NewBookingServiceClient(anon), booking: schedulingv1.NewBookingServiceClient(conn), directory: schedulingv1.NewDirectoryServiceClient(conn),
		deadlines: schedulingv1.NewDeadlineServiceClient(conn), crud: schedulingv1.NewSchedulerServiceClient(conn), js: js, pool: pool, clock: clk, svc: svc}
}

// lastEvent waits for the last message on subject in the BB's stream and returns its JSON payload.
func lastEvent(t testing.TB, js jetstream.JetStream, subject string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	var got map[string]any
	testkit.Eventually(t, 15*time.Second, "event "+subject, func() error {
		st, err := js.Stream(context.Background(), natsbus.StreamName(scheduling.Name))
		if err != nil {
			return err
		}
		msg, err := st.GetLastMsgForSubject(context.Background(), subject)
		if err != nil {
			return err
		}
		got = map[string]any{}
		if err := json.Unmarshal(msg.Data, &got); err != nil {
			return err
		}
		if match != nil && !match(got) {
			return fmt.Errorf("last %s is %v", subject, got)
		}
		return nil
	})
	return got
}

// pointer reads a JSON pointer ("/subscriber/email") from a decoded document.
func pointer(doc map[string]any, p string) any {
	var cur any = doc
	for _, k := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

func citizen(id string) *schedulingv1.Subscriber {
	return &schedulingv1.Subscriber{SubscriberId: id, Name: "Citizen " + id, Email: id + "@example.org",
		Phone: "+372 5000 0000", NationalId: "NID-" + id}
}

// tallinn is a local time in Europe/Tallinn as RFC 3339.
func tallinn(t testing.TB, y int, m time.Month, d, hh, mm int) string {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Tallinn")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, hh, mm, 0, 0, loc).Format(time.RFC3339)
}

// overlaps counts pairs of active appointments of one resource that overlap: the exclusion constraint
// makes it zero, and the tests check that it does.
func overlaps(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM appointment a JOIN appointment b
ON a.resource_id = b.resource_id AND a.id < b.id AND a.during && b.during
WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
