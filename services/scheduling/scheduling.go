// Package scheduling is the GovStack Scheduler building block: hospitals and doctors with working hours in
// their time zone, free slots, appointments that Postgres keeps from overlapping, and durable timers
// (appointment reminders, alert schedules, deadlines) that fire exactly once. It is used by cmd/scheduling
// (this BB alone) and by the all-in-one govstack binary.
package scheduling

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/api"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/events"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
	"github.com/govstackbb/marketplace/services/scheduling/migrations"
)

// Name is the building block's name: its database is govstack_scheduling, its stream GOVSTACK_SCHEDULING.
const Name = app.BB

// DefaultGRPCAddr is where `scheduling serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9096"

// The events this BB publishes on stream GOVSTACK_SCHEDULING (encoded in internal/events). Appointment
// events carry schedulingv1.AppointmentEvent, alert.fired schedulingv1.AlertFired, deadline.reached
// schedulingv1.DeadlineReached.
const (
	EventAppointmentBooked      = schedulingv1.EventAppointmentBooked
	EventAppointmentCancelled   = schedulingv1.EventAppointmentCancelled
	EventAppointmentRescheduled = schedulingv1.EventAppointmentRescheduled
	EventAppointmentCheckedIn   = schedulingv1.EventAppointmentCheckedIn
	EventAlertFired             = schedulingv1.EventAlertFired
	EventDeadlineReached        = schedulingv1.EventDeadlineReached
)

// Config is the BB's settings, read with config.Load[scheduling.Config]().
type Config struct {
	config.Common
	// TimerPollInterval is how often the firing loop looks for due timers: the worst-case lateness of a
	// timer on a healthy system.
	TimerPollInterval time.Duration `env:"GOVSTACK_SCHEDULING_TIMER_POLL" envDefault:"1s"`
	// JWKSURL is where the Registration BB's public token keys are published, normally the gateway's
	// http://<gateway>/.well-known/jwks.json. Without it (and without Deps.TokenKeys) user tokens cannot be
	// verified, and calls carrying one are refused.
	JWKSURL string `env:"GOVSTACK_JWKS_URL"`
	// TokenIssuer is the iss a user token must carry (empty accepts any).
	TokenIssuer string `env:"GOVSTACK_TOKEN_ISSUER" envDefault:"govstack-registration"`
	// CheckInOpensBefore is how long before an appointment check-in opens (it closes at the appointment's
	// end): a citizen who comes the day before, or after the slot, is told when the window is.
	CheckInOpensBefore time.Duration `env:"GOVSTACK_SCHEDULING_CHECKIN_OPENS_BEFORE" envDefault:"2h"`
}

// Deps are the connections the BB runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
	// TokenKeys, when set, is where the user tokens' public keys come from instead of Config.JWKSURL
	// (tests and the all-in-one binary pass one).
	TokenKeys usertoken.KeySource
}

// Migrations returns the schema of this BB's database: its own tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{
		{Name: Name, FS: migrations.FS, Dir: "."},
		outbox.Migrations,
		inbox.Migrations,
	}
}

// Service is the running BB: gRPC handlers plus the background outbox relay and timer loop.
type Service struct {
	cfg      Config
	deps     Deps
	app      *app.Service
	verifier *usertoken.Verifier // nil: user tokens cannot be verified
}

// New wires the BB on deps. The database must be migrated (see Migrations).
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil {
		return nil, errors.New("scheduling: Deps.Pool is required")
	}
	if deps.JetStream == nil {
		return nil, errors.New("scheduling: Deps.JetStream is required (events are published through NATS JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if cfg.TimerPollInterval <= 0 {
		cfg.TimerPollInterval = time.Second
	}
	deps.Logger = deps.Logger.With("bb", Name)
	checkIn := domain.CheckInWindow{OpensBefore: cfg.CheckInOpensBefore}
	st := store.New(deps.Pool, events.Encoder{CheckIn: checkIn}.Encode)
	uc := app.New(st, deps.Now, app.Options{CheckIn: checkIn})
	return &Service{cfg: cfg, deps: deps, app: uc, verifier: usertoken.VerifierFor(deps.TokenKeys, cfg.JWKSURL, cfg.TokenIssuer)}, nil
}

// Register registers BookingService, DirectoryService, DeadlineService and SchedulerService on g.
func (s *Service) Register(g *grpc.Server) {
	schedulingv1.RegisterBookingServiceServer(g, api.NewBooking(s.app))
	schedulingv1.RegisterDirectoryServiceServer(g, api.NewDirectory(s.app))
	schedulingv1.RegisterDeadlineServiceServer(g, api.NewDeadlines(s.app))
	schedulingv1.RegisterSchedulerServiceServer(g, api.NewScheduler(s.app))
}

// UnaryInterceptors converts errors to statuses, reads the IM client identity when present and verifies
// the user token when one is sent (Authorization: Bearer, Registration's access token). What a signed-in
// citizen may see and do is decided in the use cases (see README, Authorisation).
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		imident.UnaryServerInterceptor(nil),
		usertoken.StrictUnaryServerInterceptor(s.verifier, "Scheduling"),
	}
}

// Run does the background work until ctx is done: it makes sure the event stream exists, then relays
// committed outbox events to it and fires due timers. Several replicas may run it at once.
func (s *Service) Run(ctx context.Context) error {
	return outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger,
		func(ctx context.Context) error { return s.app.RunTimers(ctx, s.cfg.TimerPollInterval, s.deps.Logger) })
}

// FireDueTimers fires every due timer once and returns how many fired (Run does this every
// TimerPollInterval; exported for tests and benchmarks).
func (s *Service) FireDueTimers(ctx context.Context) (int, error) { return s.app.FireDue(ctx) }
