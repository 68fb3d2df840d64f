package registration_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registration"
	"github.com/govstackbb/marketplace/services/registries"
)

// Test accounts and the identity the tests call Registries with.
const (
	testPublicURL     = "https://portal.test/accounts"
	testAdminEmail    = "admin@moj.gov.example"
	testAdminPassword = "correct horse battery staple admin"
	testIMClient      = "GOVSTACK/GOV/GOVSTACK/registration"
)

// clock is the BB's clock: real time plus an offset the test can move forward (key rotation, expiry).
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.offset) }

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.offset += d }

// testBB is a running Registration BB on a fresh database, in-process NATS and a real, seeded Digital
// Registries BB (called directly, as the IM would forward the calls).
type testBB struct {
	eservices  registrationv1.EServiceServiceClient
	accounts   registrationv1.AccountServiceClient
	auth       registrationv1.AuthServiceClient
	registries registriesv1.RegistriesServiceClient // direct, with the test IM identity
	pool       *pgxpool.Pool                        // registration's database
	regPool    *pgxpool.Pool                        // registries' database
	clock      *clock
	cfg        registration.Config
	// stopRegistries stops the Registries BB (the "Registries is down" cases); later calls fail Unavailable.
	stopRegistries func()
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testConfig is the BB's configuration in tests (config defaults come from env tags, so set them here).
func testConfig() registration.Config {
	return registration.Config{
		PublicURL: testPublicURL, TokenIssuer: "govstack-registration",
		AccessTokenTTL: 15 * time.Minute, RefreshTokenTTL: 720 * time.Hour, KeyRotation: 24 * time.Hour,
		ActivationTTL: 48 * time.Hour, ResetTTL: time.Hour, MaxDocumentBytes: 1 << 20,
		AdminEmail: testAdminEmail, AdminPassword: testAdminPassword,
	}
}

// startBB starts Registries and Registration (with the administrator seeded) and returns their clients.
func startBB(t testing.TB) *testBB {
	t.Helper()
	return startBBWith(t, nil)
}

// startBBWith is startBB with the configuration changed by edit first (e.g. a short KeyRotation).
func startBBWith(t testing.TB, edit func(*registration.Config)) *testBB {
	t.Helper()
	_, js := natstest.Start(t)
	regConn, regPool, stopReg := startRegistries(t, js)
	bb := &testBB{registries: registriesv1.NewRegistriesServiceClient(regConn), regPool: regPool,
		clock: &clock{}, cfg: testConfig(), stopRegistries: stopReg}
	if edit != nil {
		edit(&bb.cfg)
	}
	ctx := context.Background()
	bb.pool = pgtest.NewPool(t, registration.Migrations()...)
	if err := registration.Seed(ctx, bb.cfg, bb.pool); err != nil {
		t.Fatal(err)
	}
	log := quietLog()
	svc, err := registration.New(bb.cfg, registration.Deps{Pool: bb.pool, JetStream: js, Logger: log,
		Registries: bb.registries, Now: bb.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	conn := serve(t, registration.Name, log, svc.UnaryInterceptors(), svc.Register, svc.Run)
	bb.eservices = registrationv1.NewEServiceServiceClient(conn)
	bb.accounts = registrationv1.NewAccountServiceClient(conn)
	bb.auth = registrationv1.NewAuthServiceClient(conn)
	return bb
}

// startRegistries runs a seeded Registries BB and returns a client connection that calls it as the
// registration subsystem, and a function that stops it.
func startRegistries(t testing.TB, js jetstream.JetStream) (*grpc.ClientConn, *pgxpool.Pool, func()) {
	t.Helper()
	pool := pgtest.NewPool(t, registries.Migrations()...)
	if err := registries.Seed(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	log := quietLog()
	svc, err := registries.New(registries.Config{}, registries.Deps{Pool: pool, JetStream: js, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := grpcserver.New(grpcserver.Options{Name: registries.Name, Addr: "127.0.0.1:0", Logger: log,
		Unary: svc.UnaryInterceptors(), ShutdownTimeout: 5 * time.Second})
	svc.Register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { return svc.Run(gctx) })
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := g.Wait(); err != nil {
				t.Errorf("registries stopped with %v", err)
			}
		})
	}
	me, _ := imident.Parse(testIMClient)
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
			invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			ctx = metadata.AppendToOutgoingContext(ctx, imident.MetadataKey, me.String())
			return invoker(ctx, method, req, reply, cc, opts...)
		}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(); stop() })
	return conn, pool, stop
}

// serve runs a BB's gRPC server and background work until the test ends and returns a client connection.
func serve(t testing.TB, name string, log *slog.Logger, unary []grpc.UnaryServerInterceptor,
	register func(*grpc.Server), run func(context.Context) error) *grpc.ClientConn {
	t.Helper()
	srv := grpcserver.New(grpcserver.Options{Name: name, Addr: "127.0.0.1:0", Logger: log, Unary: unary,
		ShutdownTimeout: 5 * time.Second})
	register(srv.GRPC())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { return run(gctx) })
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		cancel()
		if err := g.Wait(); err != nil {
			t.Errorf("%s stopped with %v", name, err)
		}
	})
	return conn
}

// withToken returns ctx carrying "authorization: Bearer <token>" to the server.
func withToken(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// withIM returns ctx carrying the IM client identity header.
func withIM(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, imident.MetadataKey, "EE/GOV/70000001/portal")
}

// withBackOffice is withIM for a client the IM vouches holds the personal-data right (a trusted back office).
func withBackOffice(ctx context.Context) context.Context {
	return imident.WithPersonalDataRight(withIM(ctx))
}

// signIn signs in and returns the access token.
func (bb *testBB) signIn(t testing.TB, email, password string) string {
	t.Helper()
	resp, err := bb.auth.SignIn(context.Background(), &registrationv1.SignInRequest{Email: email, Password: password})
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return resp.GetTokens().GetAccessToken()
}

// adminToken signs the seeded administrator in.
func (bb *testBB) adminToken(t testing.TB) string {
	t.Helper()
	return bb.signIn(t, testAdminEmail, testAdminPassword)
}

// events returns the payloads (decoded JSON) of the outbox events of type typ, oldest first.
func (bb *testBB) events(t testing.TB, typ string) []map[string]any {
	t.Helper()
	rows, err := bb.pool.Query(context.Background(),
		`SELECT payload FROM outbox WHERE type = $1 ORDER BY created_at, id`, typ)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// lastEventFor returns the newest outbox event of type typ whose payload field key equals value (any case).
func (bb *testBB) lastEventFor(t testing.TB, typ, key, value string) map[string]any {
	t.Helper()
	evs := bb.events(t, typ)
	for i := len(evs) - 1; i >= 0; i-- {
		if v, _ := evs[i][key].(string); strings.EqualFold(v, value) {
			return evs[i]
		}
	}
	t.Fatalf("no %s event with %s=%q (have %d)", typ, key, value, len(evs))
	return nil
}

// linkToken returns the token query parameter of the link in an account event.
func linkToken(t testing.TB, ev map[string]any) string {
	t.Helper()
	link, _ := ev["link"].(string)
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("event link %q has no token", link)
	}
	return u.Query().Get("token")
}

// activationToken returns the token of the newest activation link e-mailed to email.
func (bb *testBB) activationToken(t testing.TB, email string) string {
	t.Helper()
	return linkToken(t, bb.lastEventFor(t, "govstack.registration.v1.account.registered", "email", email))
}

// registerBuyer registers, activates and signs in a buyer and returns the access token.
func (bb *testBB) registerBuyer(t testing.TB, email, password string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := bb.accounts.RegisterBuyer(ctx, &registrationv1.RegisterBuyerRequest{Email: email, Name: "Test Buyer",
		Organisation: "Ministry of Justice"}); err != nil {
		t.Fatalf("register buyer %s: %v", email, err)
	}
	if _, err := bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: bb.activationToken(t, email),
		Password: password}); err != nil {
		t.Fatalf("activate %s: %v", email, err)
	}
	return bb.signIn(t, email, password)
}

// count returns the number of rows a query counts in registration's database.
func (bb *testBB) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := bb.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// jwtClaims decodes (without verifying) the payload of a JWT.
func jwtClaims(t testing.TB, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWT: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// jwtHeader decodes the JOSE header of a JWT.
func jwtHeader(t testing.TB, token string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The assertions and the poll every BB's tests share (platform/testkit).
var (
	wantCode      = testkit.WantCode
	wantReason    = testkit.WantReason
	wantViolation = testkit.WantViolation
	eventually    = testkit.Eventually
)
