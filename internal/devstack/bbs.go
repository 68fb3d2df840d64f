package devstack

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/services/messaging"
	"github.com/govstackbb/marketplace/services/registries"
	"github.com/govstackbb/marketplace/services/scheduling"
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
	{
		name: messaging.Name, addr: func(c Config) string { return c.MessagingAddr },
		migrations: messaging.Migrations,
		build: func(c Config, pool *pgxpool.Pool, js jetstream.JetStream, log *slog.Logger) (service, error) {
			mc := c.Messaging
			mc.Common = c.Common
			if mc.APIKeys == "" {
				mc.APIKeys = DevMessagingAPIKey
			}
			return messaging.New(mc, messaging.Deps{Pool: pool, JetStream: js, Logger: log})
		},
	},
	{
		name: scheduling.Name, addr: func(c Config) string { return c.SchedulingAddr },
		migrations: scheduling.Migrations, seed: scheduling.Seed,
		build: func(c Config, pool *pgxpool.Pool, js jetstream.JetStream, log *slog.Logger) (service, error) {
			sc := c.Scheduling
			sc.Common = c.Common
			return scheduling.New(sc, scheduling.Deps{Pool: pool, JetStream: js, Logger: log})
		},
	},
}

// DevMessagingAPIKey is the Messaging apiKey govstack dev accepts when GOVSTACK_MESSAGING_API_KEYS is not set.
const DevMessagingAPIKey = "dev=govstack-dev-messaging-key"
