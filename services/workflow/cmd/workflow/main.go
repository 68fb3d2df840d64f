// Command workflow runs the GovStack Workflow building block on its own: `workflow serve`, `workflow
// migrate`, `workflow seed`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/workflow"
)

// command is this BB's binary; bbcmd runs its commands.
var command = bbcmd.Command[workflow.Config]{
	Name:            workflow.Name,
	DefaultGRPCAddr: workflow.DefaultGRPCAddr,
	Summary:         "The GovStack Workflow building block: BPMN processes on Postgres.",
	Serves:          "the gRPC API (processes, instances, jobs, user tasks, messages, operations), the event relay and the timer loop",
	Seeds:           "deploy the shipped processes (procurement evaluation, probation case work) when not deployed yet",
	Settings: map[string]string{
		"GOVSTACK_WORKFLOW_TIMER_POLL":  "the longest the timer loop sleeps: the worst-case lateness of a timer another replica scheduled",
		"GOVSTACK_WORKFLOW_JOB_LEASE":   "a job's lease when the worker asks for none",
		"GOVSTACK_WORKFLOW_TIMER_LEASE": "how long a replica holds claimed timers: after a crash, another fires them after this",
		"GOVSTACK_JWKS_URL": "where the Registration BB's token keys are published, normally http://<gateway>/.well-known/jwks.json; " +
			"without it a call carrying a user token is refused (default: none)",
		"GOVSTACK_TOKEN_ISSUER": "the iss user tokens must carry",
	},
	Migrations: workflow.Migrations,
	Seed:       func(ctx context.Context, _ workflow.Config, p *pgxpool.Pool) error { return workflow.Seed(ctx, p) },
	New: func(_ context.Context, cfg workflow.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return workflow.New(cfg, workflow.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
