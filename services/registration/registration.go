// Package registration is the GovStack Registration building block: GovStack e-services (services, e-forms
// with JSON Schema, application files, documents, operator tasks, statistics) and the eMarketplace and ORS
// account flows built on them — public-sector buyers, suppliers, citizens and hospital staff — with
// activation by e-mail (through Messaging, by event), sign-in with signed access tokens and the published
// keys that the gateway and the other BBs verify them with. Registries are read and written through the
// Information Mediator. It is used by cmd/registration (this BB alone) and by the all-in-one govstack binary.
package registration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imclient"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/api"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"github.com/govstackbb/marketplace/services/registration/internal/registry"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
	"github.com/govstackbb/marketplace/services/registration/migrations"
)

// Name is the building block's name: its database is govstack_registration, its stream GOVSTACK_REGISTRATION.
const Name = app.BB

// DefaultGRPCAddr is where `registration serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9091"

// Config is the BB's settings, read with config.Load[registration.Config]().
type Config struct {
	config.Common
	// PublicURL is the base of the links in e-mails: <PublicURL>/activate?token=…, /reset-password?token=…,
	// /register/buyer. Point it at the portal's pages.
	PublicURL string `env:"GOVSTACK_REGISTRATION_PUBLIC_URL" envDefault:"http://127.0.0.1:8080/accounts"`
	// IMAddr is the Information Mediator's gRPC address; Digital Registries is called through it.
	IMAddr string `env:"GOVSTACK_IM_GRPC_ADDR" envDefault:"127.0.0.1:9090"`
	// IMClient is this BB's subsystem at the IM.
	IMClient string `env:"GOVSTACK_REGISTRATION_IM_CLIENT" envDefault:"GOVSTACK/GOV/GOVSTACK/registration"`
	// IMAPIKey is this BB's IM API key (`gateway issue-key GOVSTACK/GOV/GOVSTACK/registration`); empty in dev mode.
	IMAPIKey string `env:"GOVSTACK_REGISTRATION_IM_API_KEY"`
	// TokenIssuer is the iss of every access token.
	TokenIssuer string `env:"GOVSTACK_REGISTRATION_TOKEN_ISSUER" envDefault:"govstack-registration"`
	// AccessTokenTTL is how long an access token is valid.
	AccessTokenTTL time.Duration `env:"GOVSTACK_REGISTRATION_ACCESS_TOKEN_TTL" envDefault:"15m"`
	// RefreshTokenTTL is how long a refresh token is valid.
	RefreshTokenTTL time.Duration `env:"GOVSTACK_REGISTRATION_REFRESH_TOKEN_TTL" envDefault:"720h"`
	// KeyRotation is how often a new signing key is made; old keys stay published until no token they
	// signed can still be valid.
	KeyRotation time.Duration `env:"GOVSTACK_REGISTRATION_KEY_ROTATION" envDefault:"24h"`
	// ActivationTTL is how long an activation link works.
	ActivationTTL time.Duration `env:"GOVSTACK_REGISTRATION_ACTIVATION_TTL" envDefault:"48h"`
	// ResetTTL is how long a password-reset link works.
	ResetTTL time.Duration `env:"GOVSTACK_REGISTRATION_RESET_TTL" envDefault:"1h"`
	// MaxDocumentBytes is the largest document accepted by POST /documents.
	MaxDocumentBytes int64 `env:"GOVSTACK_REGISTRATION_MAX_DOCUMENT_BYTES" envDefault:"5242880"`
	// WebmailDomainsFile replaces the shipped list of personal webmail domains (gmail.com, outlook.*, …),
	// whose domains cannot be put forward for domain access: one domain per line, "label.*" for any
	// top-level domain, "#" comments (the format of internal/domain/webmail_domains.txt).
	WebmailDomainsFile string `env:"GOVSTACK_REGISTRATION_WEBMAIL_DOMAINS_FILE"`
	// AdminEmail and AdminPassword, when both set, make `registration seed` (and govstack dev) create or
	// reset an active administrator account, the one that decides domain-access requests.
	AdminEmail    string `env:"GOVSTACK_REGISTRATION_ADMIN_EMAIL"`
	AdminPassword string `env:"GOVSTACK_REGISTRATION_ADMIN_PASSWORD"`
}

// Deps are the connections the BB runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
	// Registries is the Digital Registries client. Nil: New dials it through the IM (IMAddr, IMClient,
	// IMAPIKey). Tests pass a direct connection.
	Registries registriesv1.RegistriesServiceClient
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
}

// Migrations returns the schema of this BB's database: its own tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{
		{Name: Name, FS: migrations.FS, Dir: "."},
		outbox.Migrations,
		inbox.Migrations,
	}
}

// Service is the running BB: gRPC handlers plus the background outbox relay and key rotation.
type Service struct {
	cfg   Config
	deps  Deps
	app   *app.Service
	close func() error
}

// New wires the BB on deps. The database must be migrated (see Migrations).
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil {
		return nil, errors.New("registration: Deps.Pool is required")
	}
	if deps.JetStream == nil {
		return nil, errors.New("registration: Deps.JetStream is required (events are published through NATS JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	deps.Logger = deps.Logger.With("bb", Name)
	s := &Service{cfg: cfg, deps: deps, close: func() error { return nil }}
	if deps.Registries == nil {
		conn, err := dialRegistries(cfg)
		if err != nil {
			return nil, err
		}
		s.deps.Registries = registriesv1.NewRegistriesServiceClient(conn)
		s.close = conn.Close
	}
	webmail, err := loadWebmail(cfg.WebmailDomainsFile)
	if err != nil {
		return nil, err
	}
	a, err := app.New(app.Options{
		Store: store.New(deps.Pool), Registries: registry.New(s.deps.Registries), Logger: deps.Logger, Now: deps.Now,
		PublicURL: cfg.PublicURL, TokenIssuer: cfg.TokenIssuer,
		AccessTokenTTL: cfg.AccessTokenTTL, RefreshTokenTTL: cfg.RefreshTokenTTL, KeyRotation: cfg.KeyRotation,
		ActivationTTL: cfg.ActivationTTL, ResetTTL: cfg.ResetTTL, MaxDocumentBytes: cfg.MaxDocumentBytes,
		Webmail: webmail,
	})
	if err != nil {
		return nil, err
	}
	s.app = a
	return s, nil
}

// loadWebmail reads the operator's list of webmail domains; "" keeps the shipped one.
func loadWebmail(path string) (domain.Webmail, error) {
	if path == "" {
		return domain.ShippedWebmail(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return domain.Webmail{}, fmt.Errorf("GOVSTACK_REGISTRATION_WEBMAIL_DOMAINS_FILE: %w", err)
	}
	w := domain.ParseWebmail(string(b))
	if w.Len() == 0 {
		return domain.Webmail{}, fmt.Errorf("GOVSTACK_REGISTRATION_WEBMAIL_DOMAINS_FILE: %s lists no domain", path)
	}
	return w, nil
}

func dialRegistries(cfg Config) (*grpc.ClientConn, error) {
	me, err := imident.Parse(cfg.IMClient)
	if err != nil {
		return nil, errors.New("GOVSTACK_REGISTRATION_IM_CLIENT: " + err.Error())
	}
	return imclient.Dial(imclient.Options{Addr: cfg.IMAddr, Client: me, APIKey: cfg.IMAPIKey})
}

// Register registers EServiceService, AccountService and AuthService on g.
func (s *Service) Register(g *grpc.Server) {
	registrationv1.RegisterEServiceServiceServer(g, api.NewEServices(s.app))
	registrationv1.RegisterAccountServiceServer(g, api.NewAccounts(s.app))
	registrationv1.RegisterAuthServiceServer(g, api.NewAuth(s.app))
}

// maxUploadFiles is how many files one POST /documents may carry (checked again in the e-services engine).
const maxUploadFiles = 10

// ServerOptions raises gRPC's 4 MiB message limit so that a full upload (maxUploadFiles files of
// MaxDocumentBytes each) reaches the document checks, which then answer with a clear 400.
func (s *Service) ServerOptions() []grpc.ServerOption {
	limit := maxUploadFiles*s.cfg.MaxDocumentBytes + 1<<20
	if s.cfg.MaxDocumentBytes <= 0 || limit > math.MaxInt32 {
		limit = 64 << 20
	}
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(int(limit))}
}

// UnaryInterceptors converts errors to statuses, reads the IM client identity (required on the methods
// GovStack marks) and verifies the access token when the call carries one.
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		imident.UnaryServerInterceptor(api.IdentityRequired),
		api.TokenInterceptor(s.app.Verifier()),
	}
}

// Run does the background work until ctx is done: it makes sure the event stream exists, then relays
// committed outbox events to it and rotates the signing keys. Several replicas may run it at once.
func (s *Service) Run(ctx context.Context) error {
	defer s.close()
	return outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger, s.app.RunKeyRotation)
}

// Seed loads the demo data: the administrator account when AdminEmail and AdminPassword are set. The
// e-services themselves come with the migrations.
func Seed(ctx context.Context, cfg Config, pool *pgxpool.Pool) error {
	if cfg.AdminEmail == "" || cfg.AdminPassword == "" {
		return nil
	}
	return app.SeedAdmin(ctx, store.New(pool), cfg.AdminEmail, cfg.AdminPassword)
}

// DemoAccount is an active account govstack dev seeds for its demo data: a buyer (role buyer and an
// organisation) or a supplier (role supplier and a company of the companies registry).
type DemoAccount struct {
	Email, Password, Name, Organisation, CompanyID string
	Roles                                          []string
}

// SeedDemoAccount creates the active account a, or resets its roles and password when its e-mail exists: the
// demo buyers and suppliers sign in with a known password, no activation e-mail needed. Idempotent.
func SeedDemoAccount(ctx context.Context, pool *pgxpool.Pool, a DemoAccount) error {
	return app.SeedAccount(ctx, store.New(pool), domain.Account{Email: a.Email, Name: a.Name, Organisation: a.Organisation,
		CompanyID: a.CompanyID, Roles: a.Roles}, a.Password)
}
