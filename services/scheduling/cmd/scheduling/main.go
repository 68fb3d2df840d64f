// Command scheduling runs the GovStack Scheduler building block on its own: `scheduling serve`,
// `scheduling migrate`, `scheduling seed`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/scheduling"
)

// command is this BB's binary; bbcmd runs its commands.
var command = bbcmd.Command[scheduling.Config]{
	Name:            scheduling.Name,
	DefaultGRPCAddr: scheduling.DefaultGRPCAddr,
	Summary:         "The GovStack Scheduler building block.",
	Serves:          "the gRPC API (BookingService, DirectoryService, DeadlineService), the event relay and the timer loop",
	Seeds:           "load the demo hospitals and doctors (idempotent)",
	Settings: map[string]string{
		"GOVSTACK_SCHEDULING_TIMER_POLL": "how often due timers are looked for: the worst-case lateness of a timer",
		"GOVSTACK_JWKS_URL": "where the Registration BB's token keys are published, normally " +
			"http://<gateway>/.well-known/jwks.json; without it a call carrying a user token (Authorization) " +
			"is refused (default: none)",
		"GOVSTACK_TOKEN_ISSUER": "the iss user tokens must carry",
		"GOVSTACK_SCHEDULING_CHECKIN_OPENS_BEFORE": "how long before an appointment its check-in opens; " +
			"it closes at the appointment's end",
	},
	Migrations: scheduling.Migrations,
	Seed:       func(ctx context.Context, _ scheduling.Config, p *pgxpool.Pool) error { return scheduling.Seed(ctx, p) },
	New: func(_ context.Context, cfg scheduling.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return scheduling.New(cfg, scheduling.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
