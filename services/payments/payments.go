// Package payments is the GovStack Payments building block: a double-entry ledger in Postgres, G2P bulk
// disbursement through payment rails (validated, authorised once with four eyes above a threshold, paid,
// reconciled), the identity-account mapper, vouchers and bill payments — no payment ever made twice. It is
// used by cmd/payments (this BB alone) and by the all-in-one govstack binary.
package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/api"
	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/callback"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/events"
	"github.com/govstackbb/marketplace/services/payments/internal/store"
	"github.com/govstackbb/marketplace/services/payments/migrations"
)

// Name is the building block's name: its database is govstack_payments, its stream GOVSTACK_PAYMENTS.
const Name = app.BB

// DefaultGRPCAddr is where `payments serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9099"

// Events are the events this BB publishes on stream GOVSTACK_PAYMENTS (encoded in internal/events).
var Events = paymentsv1.Events

// Config is the BB's settings, read with config.Load[payments.Config]().
type Config struct {
	config.Common
	// FourEyesAbove is the batch total (in the batch's currency) above which two different approvers must
	// authorise it; empty: one approver always suffices.
	FourEyesAbove string `env:"GOVSTACK_PAYMENTS_FOUR_EYES_ABOVE" envDefault:"10000"`
	// ApproverRoles are the Registration roles that may authorise a batch, comma-separated.
	ApproverRoles string `env:"GOVSTACK_PAYMENTS_APPROVER_ROLES" envDefault:"staff,admin"`
	// Rail, RailRate and the other rail settings are in rails.go.
	RailSettings
	// CallbackHosts are the hosts (host or host:port, comma-separated) an X-Callback-URL may name; empty:
	// loopback only (a development machine). Callbacks elsewhere are refused (an SSRF guard).
	CallbackHosts string `env:"GOVSTACK_PAYMENTS_CALLBACK_HOSTS"`
	// WorkInterval is how long the background work (validation, payment, reconciliation, callbacks) rests
	// when it finds nothing to do.
	WorkInterval time.Duration `env:"GOVSTACK_PAYMENTS_WORK_INTERVAL" envDefault:"500ms"`
	// MaxBatch bounds the instructions of one batch.
	MaxBatch int `env:"GOVSTACK_PAYMENTS_MAX_BATCH" envDefault:"100000"`
	// VoucherKey is the HMAC key voucher numbers are stored under (at least 32 characters). Empty: a key
	// drawn once and kept in the database — set it in production, so a copy of the database alone cannot
	// test guesses of numbers. It cannot change while vouchers are outstanding.
	VoucherKey string `env:"GOVSTACK_PAYMENTS_VOUCHER_KEY"`
	// JWKSURL is where the Registration BB's token keys are published (approvers sign in there).
	JWKSURL     string `env:"GOVSTACK_JWKS_URL"`
	TokenIssuer string `env:"GOVSTACK_TOKEN_ISSUER" envDefault:"govstack-registration"`
}

// Validate checks the settings Payments adds.
func (c Config) Validate() error {
	errs := c.RailSettings.validate()
	if _, err := domain.ParseCallbackHosts(c.CallbackHosts); err != nil {
		errs = append(errs, fmt.Errorf("GOVSTACK_PAYMENTS_CALLBACK_HOSTS: %w", err))
	}
	if c.MaxBatch <= 0 {
		errs = append(errs, errors.New("GOVSTACK_PAYMENTS_MAX_BATCH: must be more than 0"))
	}
	if c.VoucherKey != "" && len(c.VoucherKey) < 32 {
		errs = append(errs, errors.New("GOVSTACK_PAYMENTS_VOUCHER_KEY: must be at least 32 characters (a random secret)"))
	}
	return errors.Join(errs...)
}

// Deps are the connections the BB runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// TokenKeys, when set, is where the user tokens' public keys come from instead of Config.JWKSURL.
	TokenKeys usertoken.KeySource
	// Rails replace the rail Config.Rail names (tests pass a fake one).
	Rails []app.Rail
	// CallbackClient posts callbacks (a client with a 10 s time-out when nil).
	CallbackClient *http.Client
}

// Migrations returns the schema of this BB's database: its own tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{{Name: Name, FS: migrations.FS, Dir: "."}, outbox.Migrations, inbox.Migrations}
}

// Service is the running BB: gRPC handlers plus the background outbox relay and payment work.
type Service struct {
	cfg      Config
	deps     Deps
	app      *app.Service
	verifier *usertoken.Verifier
	hosts    domain.CallbackHosts
}

// New wires the BB on deps. The database must be migrated (see Migrations).
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil {
		return nil, errors.New("payments: Deps.Pool is required")
	}
	if deps.JetStream == nil {
		return nil, errors.New("payments: Deps.JetStream is required (events are published through NATS JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	deps.Logger = deps.Logger.With("bb", Name)
	rails := deps.Rails
	if len(rails) == 0 {
		r, err := cfg.RailSettings.rail(deps.Logger)
		if err != nil {
			return nil, err
		}
		rails = []app.Rail{r}
	}
	hosts, err := domain.ParseCallbackHosts(cfg.CallbackHosts)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_PAYMENTS_CALLBACK_HOSTS: %w", err)
	}
	uc := app.New(store.New(deps.Pool, events.Encode), rails, deps.Now, app.Options{
		FourEyesAbove: cfg.FourEyesAbove, ApproverRoles: splitList(cfg.ApproverRoles), RailRate: cfg.RailRate,
		InDoubtRecheck: cfg.RailRecheck, MaxBatch: cfg.MaxBatch, VoucherKey: []byte(cfg.VoucherKey), Logger: deps.Logger})
	uc.SetCallbacks(api.Renderer(uc), callback.New(deps.CallbackClient, hosts))
	return &Service{cfg: cfg, deps: deps, app: uc, verifier: usertoken.VerifierFor(deps.TokenKeys, cfg.JWKSURL, cfg.TokenIssuer), hosts: hosts}, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Register registers the BB's gRPC services on g.
func (s *Service) Register(g *grpc.Server) {
	paymentsv1.RegisterBulkPaymentServiceServer(g, api.NewBulkPayments(s.app))
	paymentsv1.RegisterBeneficiaryServiceServer(g, api.NewBeneficiaries(s.app))
	paymentsv1.RegisterLedgerServiceServer(g, api.NewLedger(s.app))
	paymentsv1.RegisterRailServiceServer(g, api.NewRails(s.app))
	paymentsv1.RegisterVoucherServiceServer(g, api.NewVouchers(s.app))
	paymentsv1.RegisterBillPaymentServiceServer(g, api.NewBills(s.app))
	paymentsv1.RegisterLegacyServiceServer(g, api.NewLegacy(s.app))
}

// UnaryInterceptors converts errors to statuses, requires the IM client identity, verifies user tokens
// (approvers), and keeps the answers of mutating calls under X-CorrelationID or Idempotency-Key per tenant
// and client (ADR 0014), answering a retry of one still running with 202 and its current state.
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		api.LegacyStatuses(),
		imident.UnaryServerInterceptor(func(method string) bool { return strings.HasPrefix(method, "/govstack.payments.") }),
		usertoken.StrictUnaryServerInterceptor(s.verifier, "Payments"),
		api.KeyInterceptor(),
		api.CallbackURLInterceptor(s.hosts),
		idempotency.Interceptor(Name, s.deps.Pool, idempotencyOptions(s)),
	}
}

func idempotencyOptions(s *Service) idempotency.Options {
	o := api.Idempotency(s.app)
	o.Logger = s.deps.Logger
	return o
}

// Run does the background work until ctx is done: the event relay and the payment work (validation,
// payment, reconciliation, completion, expiry, callbacks). Several replicas may run it at once.
func (s *Service) Run(ctx context.Context) error {
	return outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger,
		func(ctx context.Context) error { return s.app.RunWorkers(ctx, s.cfg.WorkInterval) })
}

// WorkOnce runs one pass of the background payment work (Run does it continually); for tests and benchmarks.
func (s *Service) WorkOnce(ctx context.Context) (bool, error) { return s.app.WorkOnce(ctx) }

// maxMessageBytes bounds one gRPC request: a batch as large as the gateway's bulk body limit (32 MiB of
// JSON; its protobuf is smaller) must reach the batch checks, which then answer with a clear 400 when it
// has too many instructions, rather than gRPC's 4 MiB refusal.
const maxMessageBytes = 40 << 20

// ServerOptions raises gRPC's message limit for batches (maxMessageBytes).
func (s *Service) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(maxMessageBytes)}
}
