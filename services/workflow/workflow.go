// Package workflow is the GovStack Workflow building block: BPMN 2.0 processes drawn in Camunda Modeler,
// run by an engine whose every step is one Postgres transaction, so any number of replicas share the work
// and none runs a step twice or loses one. It is used by cmd/workflow (this BB alone) and by the
// all-in-one govstack binary.
package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/api"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/calc"
	"github.com/govstackbb/marketplace/services/workflow/internal/events"
	"github.com/govstackbb/marketplace/services/workflow/internal/metrics"
	"github.com/govstackbb/marketplace/services/workflow/internal/store"
	"github.com/govstackbb/marketplace/services/workflow/migrations"
)

// Name is the building block's name: its database is govstack_workflow, its stream GOVSTACK_WORKFLOW.
const Name = app.BB

// DefaultGRPCAddr is where `workflow serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9098"

// Config is the BB's settings, read with config.Load[workflow.Config]().
type Config struct {
	config.Common
	// TimerPollInterval is the longest the timer loop sleeps: the worst-case lateness of a timer another
	// replica scheduled (this replica's own wake the loop at once).
	TimerPollInterval time.Duration `env:"GOVSTACK_WORKFLOW_TIMER_POLL" envDefault:"1s"`
	// JobLease is a job's lease when a worker asks for none.
	JobLease time.Duration `env:"GOVSTACK_WORKFLOW_JOB_LEASE" envDefault:"5m"`
	// TimerLease is how long a replica holds the timers and signals it claimed: when it dies, another
	// replica fires them after this.
	TimerLease time.Duration `env:"GOVSTACK_WORKFLOW_TIMER_LEASE" envDefault:"30s"`
	// JWKSURL is where the Registration BB's token keys are published (user tasks need signed-in people).
	JWKSURL string `env:"GOVSTACK_JWKS_URL"`
	// TokenIssuer is the iss a user token must carry.
	TokenIssuer string `env:"GOVSTACK_TOKEN_ISSUER" envDefault:"govstack-registration"`
	// Connectors turns the built-in workers on: service tasks of the govstack-* job types call the other
	// BBs through the IM. Off, those jobs wait for an external worker.
	Connectors bool `env:"GOVSTACK_WORKFLOW_CONNECTORS" envDefault:"true"`
	// IMAddr is the Information Mediator's gRPC address, where the connectors call the other BBs.
	IMAddr string `env:"GOVSTACK_IM_GRPC_ADDR" envDefault:"127.0.0.1:9090"`
	// IMClient is this BB's subsystem at the IM.
	IMClient string `env:"GOVSTACK_WORKFLOW_IM_CLIENT" envDefault:"GOVSTACK/GOV/GOVSTACK/workflow"`
	// IMAPIKey is this BB's IM API key (`gateway issue-key GOVSTACK/GOV/GOVSTACK/workflow`); empty in dev mode.
	IMAPIKey string `env:"GOVSTACK_WORKFLOW_IM_API_KEY"`
	// EmailAPIKey is the apiKey the Messaging BB issued this BB for its e-mails.
	EmailAPIKey string `env:"GOVSTACK_WORKFLOW_EMAIL_API_KEY"`
	// CalendarCountry is whose public holidays working-day timers (P10WD) skip, and in whose time zone
	// calendar periods are counted (EE or GB; empty: Monday to Friday in UTC).
	CalendarCountry string `env:"GOVSTACK_WORKFLOW_CALENDAR_COUNTRY" envDefault:"EE"`
	// EventStreams are the BBs whose events become messages processes can wait for (message name = the
	// event type, correlation key = the event's subject).
	EventStreams string `env:"GOVSTACK_WORKFLOW_EVENT_STREAMS" envDefault:"registration,registries,messaging,scheduling"`
	// EventMessageTTL is how long an event's message waits for an instance that subscribes later.
	EventMessageTTL time.Duration `env:"GOVSTACK_WORKFLOW_EVENT_MESSAGE_TTL" envDefault:"1h"`
	// GroupEmails are the addresses of the recipient groups processes send to:
	// group=a@example.org;b@example.org,group2=c@example.org.
	GroupEmails string `env:"GOVSTACK_WORKFLOW_GROUP_EMAILS"`
}

// Validate checks the BB's own settings.
func (c Config) Validate() error {
	if c.TimerPollInterval <= 0 || c.JobLease <= 0 || c.TimerLease <= 0 {
		return errors.New("GOVSTACK_WORKFLOW_TIMER_POLL, _JOB_LEASE and _TIMER_LEASE must be positive durations")
	}
	if _, err := parseGroups(c.GroupEmails); err != nil {
		return err
	}
	if _, err := imident.Parse(c.IMClient); err != nil {
		return errors.New("GOVSTACK_WORKFLOW_IM_CLIENT: " + err.Error())
	}
	return nil
}

// Deps are the connections the BB runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
	// Owner names this replica in leases (a unique name when empty); tests name their replicas.
	Owner string
	// TokenKeys, when set, is where the user tokens' keys come from instead of Config.JWKSURL.
	TokenKeys usertoken.KeySource
	// IM, when set, is the connectors' connection to the other BBs instead of one dialled to Config.IMAddr
	// (tests pass fakes).
	IM grpc.ClientConnInterface
}

// Migrations returns the schema of this BB's database: its own tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{
		{Name: Name, FS: migrations.FS, Dir: "."},
		outbox.Migrations,
		inbox.Migrations,
	}
}

// Service is the running BB: gRPC handlers plus the background relay, timer loop and job notifications.
type Service struct {
	cfg        Config
	deps       Deps
	store      *store.Store
	app        *app.Service
	verifier   *usertoken.Verifier
	connectors []app.Connector
}

// New wires the BB on deps. The database must be migrated (see Migrations).
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil {
		return nil, errors.New("workflow: Deps.Pool is required")
	}
	if deps.JetStream == nil {
		return nil, errors.New("workflow: Deps.JetStream is required (events are published through NATS JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if cfg.TimerPollInterval <= 0 {
		cfg.TimerPollInterval = time.Second
	}
	deps.Logger = deps.Logger.With("bb", Name)
	m, err := metrics.New(nil)
	if err != nil {
		return nil, err
	}
	exprs := calc.Expressions{}
	timers, err := calc.NewTimers(cfg.CalendarCountry)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_WORKFLOW_CALENDAR_COUNTRY: %w", err)
	}
	st := store.New(deps.Pool, events.Encode)
	uc := app.New(st, app.Options{Now: deps.Now, Owner: deps.Owner, JobLease: cfg.JobLease,
		TimerLease: cfg.TimerLease, Expressions: exprs, Timers: timers, CheckExpression: exprs.Check, CheckTimer: timers.Check,
		Metrics: m, Logger: deps.Logger})
	svc := &Service{cfg: cfg, deps: deps, store: st, app: uc, verifier: usertoken.VerifierFor(deps.TokenKeys, cfg.JWKSURL, cfg.TokenIssuer)}
	if cfg.Connectors {
		if svc.connectors, err = buildConnectors(cfg, deps); err != nil {
			return nil, err
		}
	}
	return svc, nil
}

// QuietMethods are the BB's long polls (the catalog's: job activation, which each worker repeats every few
// seconds); a successful one is logged at debug.
func (s *Service) QuietMethods() []string {
	b, _ := catalog.Lookup(Name)
	return b.LongPolls
}

// Register registers the BB's services on g.
func (s *Service) Register(g *grpc.Server) {
	workflowv1.RegisterProcessServiceServer(g, api.NewProcesses(s.app))
	workflowv1.RegisterInstanceServiceServer(g, api.NewInstances(s.app))
	workflowv1.RegisterJobServiceServer(g, api.NewJobs(s.app))
	workflowv1.RegisterUserTaskServiceServer(g, api.NewTasks(s.app))
	workflowv1.RegisterMessageServiceServer(g, api.NewMessages(s.app))
	workflowv1.RegisterOperationsServiceServer(g, api.NewOperations(s.app))
}

// UnaryInterceptors converts errors to statuses, reads the IM client identity and verifies user tokens.
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		imident.UnaryServerInterceptor(nil),
		usertoken.StrictUnaryServerInterceptor(s.verifier, "Workflow"),
	}
}

// Run does the background work until ctx is done: the event relay, the timer and signal loop, and the
// job notifications that wake long-polling workers. Several replicas may run it at once.
func (s *Service) Run(ctx context.Context) error {
	workers := []func(context.Context) error{
		func(ctx context.Context) error { return s.app.RunTimers(ctx, s.cfg.TimerPollInterval, s.deps.Logger) },
		func(ctx context.Context) error {
			return store.ListenJobs(ctx, s.deps.Pool, s.deps.Logger, s.app.JobsCreated)
		},
	}
	if len(s.connectors) > 0 {
		workers = append(workers, func(ctx context.Context) error { return s.app.RunConnectors(ctx, s.connectors, s.deps.Logger) })
	}
	if streams := splitList(s.cfg.EventStreams); len(streams) > 0 {
		consumer := events.NewConsumer(s.app, s.store.Within, s.cfg.EventMessageTTL, s.deps.Logger)
		workers = append(workers, func(ctx context.Context) error { return consumer.Run(ctx, s.deps.JetStream, s.deps.Pool, streams) })
	}
	return outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger, workers...)
}

// App is the BB's use cases, for tests and benchmarks in this module.
func (s *Service) App() *app.Service { return s.app }

// splitList reads a comma-separated setting.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
