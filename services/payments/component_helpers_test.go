package payments_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/usertoken"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments"
	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/fakerail"
)

// clock is a settable clock shared by the service and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a running Payments BB: real Postgres, in-process NATS, a gRPC server with the interceptors a
// deployment chains (bbcmd.Interceptors, without the IM assertion), a fake rail and a callback receiver. The
// background work does not run by itself: tests drive it with work, so nothing depends on timing.
type env struct {
	t         testing.TB
	conn      *grpc.ClientConn
	bulk      paymentsv1.BulkPaymentServiceClient
	mapper    paymentsv1.BeneficiaryServiceClient
	ledger    paymentsv1.LedgerServiceClient
	rails     paymentsv1.RailServiceClient
	vouch     paymentsv1.VoucherServiceClient
	bills     paymentsv1.BillPaymentServiceClient
	pool      *pgxpool.Pool
	svc       *payments.Service
	rail      *fakerail.Rail
	clock     *clock
	callbacks *receiver
	key       ed25519.PrivateKey
}

// treasury is the IM client of the tests' disbursing agency.
const treasury = "EE/GOV/70000001/treasury"

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t testing.TB, configure func(*payments.Config)) *env {
	if os.Getenv("PAYMENTS_TEST_LOG") != "" {
		return startLogged(t, configure, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	}
	return startLogged(t, configure, quietLog())
}

// startLogged starts the BB on rails (the fake rail, e.rail, when none are given).
func startLogged(t testing.TB, configure func(*payments.Config), log *slog.Logger, rails ...app.Rail) *env {
	t.Helper()
	pool := pgtest.NewPool(t, bbcmd.WithPlatformMigrations(payments.Migrations())...)
	_, js := natstest.Start(t)
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := usertoken.JWKS(map[string]ed25519.PublicKey{"k1": pub})
	if err != nil {
		t.Fatal(err)
	}
	var cfg payments.Config
	cfg.FourEyesAbove, cfg.ApproverRoles, cfg.Rail, cfg.RailRate, cfg.MaxBatch = "10000", "staff,admin", "sandbox", 100000, 100000
	cfg.TokenIssuer = payments.DefaultTokenIssuer
	if configure != nil {
		configure(&cfg)
	}
	e := &env{t: t, pool: pool, rail: fakerail.New("mobilemoney"), clock: &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)},
		callbacks: newReceiver(t), key: key}
	if len(rails) == 0 {
		rails = []app.Rail{e.rail}
	}
	e.svc, err = payments.New(cfg, payments.Deps{Pool: pool, JetStream: js, Logger: log, Now: e.clock.Now,
		TokenKeys: func(context.Context) ([]byte, error) { return jwks, nil }, Rails: rails})
	if err != nil {
		t.Fatal(err)
	}
	srv := grpcserver.New(grpcserver.Options{Name: payments.Name, Addr: "127.0.0.1:0", Logger: log,
		Unary: bbcmd.Interceptors(payments.Name, e.svc, pool, log, nil), ShutdownTimeout: 5 * time.Second})
	e.svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	e.conn, err = grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = e.conn.Close()
		cancel()
		<-done
	})
	e.bulk, e.mapper = paymentsv1.NewBulkPaymentServiceClient(e.conn), paymentsv1.NewBeneficiaryServiceClient(e.conn)
	e.ledger, e.rails = paymentsv1.NewLedgerServiceClient(e.conn), paymentsv1.NewRailServiceClient(e.conn)
	e.vouch, e.bills = paymentsv1.NewVoucherServiceClient(e.conn), paymentsv1.NewBillPaymentServiceClient(e.conn)
	return e
}

// call is a context for one call of client with headers (pairs of metadata keys and values).
func call(client string, headers ...string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), append([]string{imident.MetadataKey, client}, headers...)...)
}

// as is a call of the treasury client signed in as an approver.
func (e *env) as(subject string, roles []string, headers ...string) context.Context {
	e.t.Helper()
	tok, err := usertoken.Sign(e.key, "k1", usertoken.Claims{Issuer: payments.DefaultTokenIssuer, Subject: subject,
		Name: "Approver " + subject, Roles: roles}, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return call(treasury, append(headers, "authorization", "Bearer "+tok)...)
}

// work runs the background payment work until it finds nothing more to do.
func (e *env) work() {
	e.t.Helper()
	for range 1000 {
		busy, err := e.svc.WorkOnce(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !busy {
			return
		}
	}
	e.t.Fatal("the background work never settled")
}

// receiver is an X-Callback-URL: it keeps what it is sent, and fails the first failures posts.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	bodies   map[string][][]byte // by path
	failures int
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{bodies: map[string][][]byte{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.failures > 0 {
			r.failures--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		r.bodies[req.URL.Path] = append(r.bodies[req.URL.Path], b)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got(path string) [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies[path]...)
}

func (r *receiver) failNext(n int) {
	r.mu.Lock()
	r.failures = n
	r.mu.Unlock()
}

// callbackBody is a rail's JSON callback as the gateway hands it over: a google.protobuf.Struct.
func callbackBody(t testing.TB, b []byte) *structpb.Struct {
	t.Helper()
	var s structpb.Struct
	if err := protojson.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

type paymentsConfig = payments.Config
