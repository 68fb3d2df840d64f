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
		"GOVSTACK_WORKFLOW_CONNECTORS": "run the built-in connectors: service tasks of the govstack-* job types call " +
			"Messaging, Scheduling and Registries through the IM (off: those jobs wait for an external worker)",
		"GOVSTACK_IM_GRPC_ADDR":        "the Information Mediator's gRPC address, where the connectors call the other BBs",
		"GOVSTACK_WORKFLOW_IM_CLIENT":  "this BB's client at the IM (INSTANCE/CLASS/MEMBER/SUBSYSTEM)",
		"GOVSTACK_WORKFLOW_IM_API_KEY": "this BB's IM API key (gateway issue-key GOVSTACK/GOV/GOVSTACK/workflow); empty in development mode (default: none)",
		"GOVSTACK_WORKFLOW_EMAIL_API_KEY": "the apiKey the Messaging BB issued this BB, for the e-mails of " +
			"govstack-messaging-send tasks (default: none)",
		"GOVSTACK_WORKFLOW_GROUP_EMAILS": "the addresses of recipient groups: group=a@example.org;b@example.org,group2=... (default: none)",
		"GOVSTACK_WORKFLOW_CALENDAR_COUNTRY": "whose public holidays working-day timers (P10WD) skip and in whose zone " +
			"calendar periods count: EE or GB, empty for Monday to Friday in UTC",
		"GOVSTACK_WORKFLOW_EVENT_STREAMS": "the BBs whose events become messages processes can wait for (name = event type, " +
			"correlation key = the event's subject)",
		"GOVSTACK_WORKFLOW_EVENT_MESSAGE_TTL": "how long an event's message waits for an instance that subscribes later",
	},
	Migrations: workflow.Migrations,
	Seed:       func(ctx context.Context, _ workflow.Config, p *pgxpool.Pool) error { return workflow.Seed(ctx, p) },
	New: func(_ context.Context, cfg workflow.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return workflow.New(cfg, workflow.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
