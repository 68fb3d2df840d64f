// Package registries is the GovStack Digital Registries building block: registries (GovStack "databases")
// with a JSON Schema per version, their records behind the GovStack data API, and the log of who read whose
// personal data. It is used by cmd/registries (this BB alone) and by the all-in-one govstack binary.
package registries

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/api"
	"github.com/govstackbb/marketplace/services/registries/internal/app"
	"github.com/govstackbb/marketplace/services/registries/internal/store"
	"github.com/govstackbb/marketplace/services/registries/migrations"
)

// Name is the building block's name: its database is govstack_registries, its stream GOVSTACK_REGISTRIES.
const Name = "registries"

// DefaultGRPCAddr is where `registries serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9092"

// The events this BB publishes on stream GOVSTACK_REGISTRIES; the payload is registriesv1.RecordChanged.
const (
	EventRecordCreated = registriesv1.EventRecordCreated
	EventRecordUpdated = registriesv1.EventRecordUpdated
	EventRecordDeleted = registriesv1.EventRecordDeleted
)

// Config is the BB's settings, read with config.Load[registries.Config]().
type Config struct {
	config.Common
}

// Deps are the connections the BB runs on; the caller owns and closes them.
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
}

// Migrations returns the schema of this BB's database: its own tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{
		{Name: Name, FS: migrations.FS, Dir: "."},
		outbox.Migrations,
		inbox.Migrations,
	}
}

// Service is the running BB: gRPC handlers plus the background outbox relay.
type Service struct {
	cfg  Config
	deps Deps
	app  *app.Service
}

// New wires the BB on deps. The database must be migrated (see Migrations).
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil {
		return nil, errors.New("registries: Deps.Pool is required")
	}
	if deps.JetStream == nil {
		return nil, errors.New("registries: Deps.JetStream is required (events are published through NATS JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	deps.Logger = deps.Logger.With("bb", Name)
	return &Service{cfg: cfg, deps: deps, app: app.New(store.New(deps.Pool))}, nil
}

// Register registers RegistriesService and DatabasesService on g.
func (s *Service) Register(g *grpc.Server) {
	registriesv1.RegisterRegistriesServiceServer(g, api.NewRegistries(s.app))
	registriesv1.RegisterDatabasesServiceServer(g, api.NewDatabases(s.app))
}

// UnaryInterceptors converts errors to statuses and reads the IM client identity, which the data API
// (RegistriesService) requires: its reads are logged against the caller.
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		imident.UnaryServerInterceptor(requiresIdentity),
	}
}

func requiresIdentity(fullMethod string) bool {
	return strings.HasPrefix(fullMethod, "/"+registriesv1.RegistriesService_ServiceDesc.ServiceName+"/")
}

// Run does the background work until ctx is done: it makes sure the event stream exists, then relays
// committed outbox events to it.
func (s *Service) Run(ctx context.Context) error {
	return outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger)
}
