package devstack

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/services/registries"
)

// service is a building block as devstack runs it: the methods every BB's entry point has.
type service interface {
	Register(*grpc.Server)
	UnaryInterceptors() []grpc.UnaryServerInterceptor
	Run(context.Context) error
}

// buildingBlock says how to run one BB: its database schema, demo data, gRPC address and constructor.
type buildingBlock struct {
	name       string
	addr       func(Config) string
	migrations func() []pgstore.MigrationSet
	seed       func(context.Context, *pgxpool.Pool) error // nil: no demo data
	build      func(Config, *pgxpool.Pool, jetstream.JetStream, *slog.Logger) (service, error)
}

// buildingBlocks are the BBs govstack dev runs, in start order. A new BB adds a line here.
var buildingBlocks = []buildingBlock{
	{
		name: registries.Name, addr: func(c Config) string { return c.RegistriesAddr },
		migrations: registries.Migrations, seed: registries.Seed,
		build: func(c Config, pool *pgxpool.Pool, js jetstream.JetStream, log *slog.Logger) (service, error) {
			return registries.New(registries.Config{Common: c.Common}, registries.Deps{Pool: pool, JetStream: js, Logger: log})
		},
	},
}
