// Command procurement runs the eMarketplace's procurement service on its own: `procurement serve`,
// `procurement migrate`, `procurement healthcheck`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/procurement"
)

// command is this service's binary; bbcmd runs its commands.
var command = bbcmd.Command[procurement.Config]{
	Name:            procurement.Name,
	DefaultGRPCAddr: procurement.DefaultGRPCAddr,
	Summary:         "The eMarketplace procurement service: tenders, sealed bids, evaluation, awards, contracts.",
	Serves: "the gRPC API (ProcurementService, OcdsService, ReportingService, DocumentService), the event relay, the consumers of deadlines and payments, and the " +
		"worker of the procurement process's service tasks (the process is deployed to Workflow at start)",
	Settings: map[string]string{
		"GOVSTACK_PROCUREMENT_SEAL_KEY_FILE": "the service key (64 hex characters, e.g. openssl rand -hex 32) that wraps each tender's " +
			"bid-sealing key (default: made under GOVSTACK_DATA_DIR, development only)",
		"GOVSTACK_PROCUREMENT_WORKING_DAY":    "how long a working day lasts, for demos and tests (0: real working days)",
		"GOVSTACK_PROCUREMENT_OCID_PREFIX":    "the publisher's OCDS prefix",
		"GOVSTACK_PROCUREMENT_PUBLIC_URL":     "where the gateway serves this API publicly: the base of the OCDS packages' uri and links.next",
		"GOVSTACK_PROCUREMENT_OCDS_PUBLISHER": "the publisher's name in every OCDS package",
		"GOVSTACK_PROCUREMENT_OCDS_LICENSE":   "the URL of the OCDS data's licence",
		"GOVSTACK_PROCUREMENT_REDFLAG_MIN_TENDER_DAYS": "red flag: a tender period shorter than this many calendar days (default 15, " +
			"the EU's shortest accelerated open procedure)",
		"GOVSTACK_PROCUREMENT_REDFLAG_REPEATED_AWARDS":       "red flag: this many active awards from one buyer to one supplier (default 3)",
		"GOVSTACK_PROCUREMENT_REDFLAG_MAX_AWARD_TO_ESTIMATE": "red flag: an award worth more than this times the estimate (default 1.2)",
		"GOVSTACK_PROCUREMENT_PAYER":                         "the Payments payer identifier milestones are paid from",
		"GOVSTACK_PROCUREMENT_WORKER":                        "do the process's service tasks in this replica",
		"GOVSTACK_IM_GRPC_ADDR":                              "the Information Mediator's gRPC address, where the BBs are called",
		"GOVSTACK_PROCUREMENT_IM_CLIENT":                     "this service's subsystem at the IM",
		"GOVSTACK_PROCUREMENT_IM_API_KEY":                    "its IM API key (gateway issue-key GOVSTACK/GOV/GOVSTACK/procurement)",
		"GOVSTACK_JWKS_URL":                                  "where the Registration BB's token keys are published (http://<gateway>/.well-known/jwks.json)",
		"GOVSTACK_TOKEN_ISSUER":                              "the iss user tokens must carry",
	},
	Migrations: procurement.Migrations,
	New: func(_ context.Context, cfg procurement.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return procurement.New(cfg, procurement.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
