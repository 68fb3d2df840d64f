// Command registries runs the GovStack Digital Registries building block on its own: `registries serve`,
// `registries migrate`, `registries seed`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/registries"
)

// command is this BB's binary; bbcmd runs its commands.
var command = bbcmd.Command[registries.Config]{
	Name:            registries.Name,
	DefaultGRPCAddr: registries.DefaultGRPCAddr,
	Summary:         "The GovStack Digital Registries building block.",
	Serves:          "the gRPC API (RegistriesService, DatabasesService) and the event relay",
	Seeds:           "load the demo registries (idempotent)",
	Migrations:      registries.Migrations,
	Seed:            func(ctx context.Context, _ registries.Config, p *pgxpool.Pool) error { return registries.Seed(ctx, p) },
	New: func(_ context.Context, cfg registries.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return registries.New(cfg, registries.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
