// Package procurement is the eMarketplace's procurement service, built like a building block: tenders,
// questions, sealed bids, evaluation, awards with a standstill, contracts paid by milestones. It composes
// the BBs through the Information Mediator — Registration's tokens say who calls, Digital Registries
// whether a company is active, Scheduling keeps the deadlines, Workflow runs the process (procurement is
// the worker of its service tasks), Payments pays — and never does what they do. It is used by
// cmd/procurement (this service alone) and by the all-in-one govstack binary.
package procurement

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imclient"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"

	procurementv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/bbs"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/redflags"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
	"github.com/govstackbb/marketplace/services/procurement/migrations"
	"github.com/govstackbb/marketplace/services/procurement/process"
)

// Name is the service's name: database govstack_procurement, stream GOVSTACK_PROCUREMENT.
const Name = app.BB

// DefaultGRPCAddr is where `procurement serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9100"

// DefaultTokenIssuer is the iss of the Registration BB's access tokens.
const DefaultTokenIssuer = usertoken.DefaultIssuer

// Config is the service's settings, read with config.Load[procurement.Config]().
type Config struct {
	config.Common
	// SealKeyFile holds the service key (64 hex characters) that wraps each tender's bid-sealing key. Empty:
	// <GOVSTACK_DATA_DIR>/procurement/seal.key, made at first start (development only: keep the key outside
	// the database's backups in production).
	SealKeyFile string `env:"GOVSTACK_PROCUREMENT_SEAL_KEY_FILE"`
	// WorkingDay, when set, is how long a working day lasts (demos and tests, e.g. 2s); 0 counts real working
	// days, Monday to Friday.
	WorkingDay time.Duration `env:"GOVSTACK_PROCUREMENT_WORKING_DAY" envDefault:"0s"`
	// OCIDPrefix is the publisher's OCDS prefix, registered with the Open Contracting Partnership.
	OCIDPrefix string `env:"GOVSTACK_PROCUREMENT_OCID_PREFIX" envDefault:"ocds-gvstck"`
	// PublicURL is where the gateway serves this API to the public: the OCDS packages' uri and links.next
	// are built on it.
	PublicURL string `env:"GOVSTACK_PROCUREMENT_PUBLIC_URL" envDefault:"http://127.0.0.1:8080"`
	// Publisher is the publisher's name in every OCDS package.
	Publisher string `env:"GOVSTACK_PROCUREMENT_OCDS_PUBLISHER" envDefault:"GovStack eMarketplace"`
	// License is the URL of the OCDS data's licence.
	License string `env:"GOVSTACK_PROCUREMENT_OCDS_LICENSE" envDefault:"https://creativecommons.org/licenses/by/4.0/"`
	// RedFlagMinTenderDays flags a tender period shorter than this many calendar days.
	RedFlagMinTenderDays int `env:"GOVSTACK_PROCUREMENT_REDFLAG_MIN_TENDER_DAYS" envDefault:"15"`
	// RedFlagRepeatedAwards flags this many active awards from one buyer to one supplier.
	RedFlagRepeatedAwards int `env:"GOVSTACK_PROCUREMENT_REDFLAG_REPEATED_AWARDS" envDefault:"3"`
	// RedFlagMaxAwardToEstimate flags an award worth more than this times the tender's estimate.
	RedFlagMaxAwardToEstimate float64 `env:"GOVSTACK_PROCUREMENT_REDFLAG_MAX_AWARD_TO_ESTIMATE" envDefault:"1.2"`
	// Payer is the Payments BB payer identifier milestones are paid from.
	Payer string `env:"GOVSTACK_PROCUREMENT_PAYER" envDefault:"TREASURY"`
	// Worker turns on the job worker of the process's service tasks (off: another replica does them).
	Worker bool `env:"GOVSTACK_PROCUREMENT_WORKER" envDefault:"true"`
	// IMAddr is the Information Mediator's gRPC address, where procurement calls the BBs.
	IMAddr string `env:"GOVSTACK_IM_GRPC_ADDR" envDefault:"127.0.0.1:9090"`
	// IMClient is this service's subsystem at the IM.
	IMClient string `env:"GOVSTACK_PROCUREMENT_IM_CLIENT" envDefault:"GOVSTACK/GOV/GOVSTACK/procurement"`
	// IMAPIKey is its IM API key (`gateway issue-key GOVSTACK/GOV/GOVSTACK/procurement`); empty in dev mode.
	IMAPIKey string `env:"GOVSTACK_PROCUREMENT_IM_API_KEY"`
	// JWKSURL is where the Registration BB's token keys are published.
	JWKSURL string `env:"GOVSTACK_JWKS_URL"`
	// TokenIssuer is the iss a user token must carry.
	TokenIssuer string `env:"GOVSTACK_TOKEN_ISSUER" envDefault:"govstack-registration"`
}

// Validate checks the service's own settings.
func (c Config) Validate() error {
	if c.WorkingDay < 0 {
		return errors.New("GOVSTACK_PROCUREMENT_WORKING_DAY must not be negative")
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("GOVSTACK_PROCUREMENT_PUBLIC_URL must be an http(s) URL such as https://marketplace.example.org")
	}
	if c.RedFlagMinTenderDays < 1 || c.RedFlagRepeatedAwards < 2 || c.RedFlagMaxAwardToEstimate <= 1 {
		return errors.New("GOVSTACK_PROCUREMENT_REDFLAG_*: MIN_TENDER_DAYS at least 1, REPEATED_AWARDS at least 2, MAX_AWARD_TO_ESTIMATE above 1")
	}
	if _, err := imident.Parse(c.IMClient); err != nil {
		return errors.New("GOVSTACK_PROCUREMENT_IM_CLIENT: " + err.Error())
	}
	return nil
}

// Deps are the connections the service runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
	Now       func() time.Time
	// TokenKeys, when set, is where user tokens' keys come from instead of Config.JWKSURL.
	TokenKeys usertoken.KeySource
	// IM, when set, is the connection to the other BBs instead of one dialled to Config.IMAddr.
	IM grpc.ClientConnInterface
}

// Migrations returns the schema: procurement's tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{{Name: Name, FS: migrations.FS, Dir: "."}, outbox.Migrations, inbox.Migrations}
}

// Service is the running service.
type Service struct {
	cfg      Config
	deps     Deps
	store    *store.Store
	app      *app.Service
	workflow bbs.Workflow
	verifier *usertoken.Verifier
}

// New wires the service on deps. The database must be migrated.
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil || deps.JetStream == nil {
		return nil, errors.New("procurement: Deps.Pool and Deps.JetStream are required")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	deps.Logger = deps.Logger.With("bb", Name)
	keys, err := sealKeys(cfg, deps.Logger)
	if err != nil {
		return nil, err
	}
	conn := deps.IM
	if conn == nil {
		me, err := imident.Parse(cfg.IMClient)
		if err != nil {
			return nil, fmt.Errorf("GOVSTACK_PROCUREMENT_IM_CLIENT: %w", err)
		}
		if conn, err = imclient.Dial(imclient.Options{Addr: cfg.IMAddr, Client: me, APIKey: cfg.IMAPIKey}); err != nil {
			return nil, err
		}
	}
	st := store.New(deps.Pool, events.Encode)
	wf := bbs.NewWorkflow(conn)
	uc := app.New(app.Deps{Store: st, Keys: keys, Registries: bbs.NewRegistries(conn), Scheduling: bbs.NewScheduling(conn),
		Workflow: wf, Payments: bbs.NewPayments(conn, cfg.Payer), Documents: bbs.NewRegistration(conn), Calendar: domain.Calendar{Day: cfg.WorkingDay},
		OCIDPrefix: cfg.OCIDPrefix, Now: deps.Now, Logger: deps.Logger, Releases: st, Reports: st,
		Publisher:    app.Publisher{BaseURL: cfg.PublicURL, Name: cfg.Publisher, License: cfg.License},
		RedFlagRules: redflags.Rules{MinTenderDays: cfg.RedFlagMinTenderDays, RepeatedAwards: cfg.RedFlagRepeatedAwards, MaxAwardToEstimate: cfg.RedFlagMaxAwardToEstimate}})
	return &Service{cfg: cfg, deps: deps, store: st, app: uc, workflow: wf, verifier: usertoken.VerifierFor(deps.TokenKeys, cfg.JWKSURL, cfg.TokenIssuer)}, nil
}

// sealKeys loads the service key, making one under the data folder when no file is named.
func sealKeys(cfg Config, log *slog.Logger) (*seal.Keyring, error) {
	if cfg.SealKeyFile != "" {
		return seal.LoadFile(cfg.SealKeyFile, false)
	}
	path := filepath.Join(cfg.DataDir, "procurement", "seal.key")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		log.Warn("no GOVSTACK_PROCUREMENT_SEAL_KEY_FILE: a bid-sealing service key is made under the data folder (development only)", "path", path)
	}
	return seal.LoadFile(path, true)
}

// Register registers ProcurementService, OcdsService, ReportingService and DocumentService on g.
func (s *Service) Register(g *grpc.Server) {
	procurementv1.RegisterProcurementServiceServer(g, api.New(s.app))
	procurementv1.RegisterOcdsServiceServer(g, api.NewOCDS(s.app))
	procurementv1.RegisterReportingServiceServer(g, api.NewReporting(s.app))
	procurementv1.RegisterDocumentServiceServer(g, api.NewDocuments(s.app))
}

// UnaryInterceptors converts errors to statuses, reads the IM identity and verifies user tokens.
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		imident.UnaryServerInterceptor(nil),
		usertoken.StrictUnaryServerInterceptor(s.verifier, "procurement"),
	}
}

// Run does the background work until ctx is done: the outbox relay, the consumers, and — once the process
// is deployed to Workflow — the job worker. Several replicas may run it at once.
func (s *Service) Run(ctx context.Context) error {
	consume := func(ctx context.Context) error {
		return events.Consumers{App: s.app, Within: s.store.Within, Log: s.deps.Logger}.Run(ctx, s.deps.JetStream, s.deps.Pool)
	}
	work := func(ctx context.Context) error {
		if !s.deployProcess(ctx) || !s.cfg.Worker {
			return nil
		}
		host, _ := os.Hostname()
		return s.app.RunWorker(ctx, fmt.Sprintf("procurement-%s-%d", host, os.Getpid()))
	}
	return outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger, consume, work)
}

// deployProcess deploys the process to Workflow, retrying with backoff while Workflow or the IM is not up;
// false when ctx ended first.
func (s *Service) deployProcess(ctx context.Context) bool {
	pause := 200 * time.Millisecond
	for {
		err := s.workflow.EnsureProcess(ctx, process.BPMN, process.VersionTag())
		if err == nil {
			return true
		}
		s.deps.Logger.Warn("deploy the procurement process to Workflow", "err", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}
