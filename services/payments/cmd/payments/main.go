// Command payments runs the GovStack Payments building block on its own: `payments serve`,
// `payments migrate`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/payments"
)

// command is this BB's binary; bbcmd runs its commands.
var command = bbcmd.Command[payments.Config]{
	Name:            payments.Name,
	DefaultGRPCAddr: payments.DefaultGRPCAddr,
	Summary:         "The GovStack Payments building block.",
	Serves: "the gRPC API (BulkPaymentService, BeneficiaryService, LedgerService, RailService), the event relay " +
		"and the payment work (validation, payment, reconciliation, callbacks)",
	Settings: map[string]string{
		"GOVSTACK_PAYMENTS_FOUR_EYES_ABOVE": "the batch total (in its currency) above which two different approvers must authorise it; empty: one",
		"GOVSTACK_PAYMENTS_APPROVER_ROLES":  "the Registration roles that may authorise a batch, comma-separated",
		"GOVSTACK_PAYMENTS_RAIL": "the payment rail: sandbox (in-process; addresses ending 000 are refused, 999 fail) or " +
			"mobilemoney (a GSMA Mobile Money API at GOVSTACK_PAYMENTS_RAIL_URL, e.g. railsim)",
		"GOVSTACK_PAYMENTS_RAIL_RATE":          "the most calls per second to each rail, per replica",
		"GOVSTACK_PAYMENTS_RAIL_URL":           "mobilemoney: the API's base URL, e.g. http://railsim:8095 (required)",
		"GOVSTACK_PAYMENTS_RAIL_TOKEN":         "mobilemoney: the bearer token the rail issued (default: none sent)",
		"GOVSTACK_PAYMENTS_RAIL_PAYER_ACCOUNT": "mobilemoney: the disbursing organisation's account at the rail (the debit party)",
		"GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL": "mobilemoney: where the rail posts results, the gateway's " +
			"http://<gateway>/rails/mobilemoney/callbacks (default: none, results are polled)",
		"GOVSTACK_PAYMENTS_RAIL_TIMEOUT":  "mobilemoney: the time-out of one HTTP attempt (a payment timed out is IN_DOUBT and re-sent under its id)",
		"GOVSTACK_PAYMENTS_RAIL_ATTEMPTS": "mobilemoney: how often one call is tried, with backoff, under the same id (1-10)",
		"GOVSTACK_PAYMENTS_RAIL_RECHECK":  "how long after its last word the reconciliation asks the rail about a payment no callback settled",
		"GOVSTACK_PAYMENTS_CALLBACK_HOSTS": "the hosts (host or host:port, comma-separated) an X-Callback-URL may name; " +
			"others are refused with 400 (default: loopback only)",
		"GOVSTACK_PAYMENTS_WORK_INTERVAL": "how long the background payment work rests when it finds nothing to do",
		"GOVSTACK_PAYMENTS_MAX_BATCH":     "the most instructions one batch may have",
		"GOVSTACK_PAYMENTS_VOUCHER_KEY": "the HMAC key voucher numbers are stored under, at least 32 characters; set it in " +
			"production (default: a key drawn once and kept in the database)",
		"GOVSTACK_JWKS_URL": "where the Registration BB's token keys are published, normally " +
			"http://<gateway>/.well-known/jwks.json; approvers sign in there (default: none: nobody can authorise)",
		"GOVSTACK_TOKEN_ISSUER": "the iss user tokens must carry",
	},
	Migrations: payments.Migrations,
	New: func(_ context.Context, cfg payments.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return payments.New(cfg, payments.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
