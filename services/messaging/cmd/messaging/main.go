// Command messaging runs the GovStack Messaging building block on its own: `messaging serve`,
// `messaging migrate`, `messaging healthcheck`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/messaging"
)

// command is this BB's binary; bbcmd runs its commands.
var command = bbcmd.Command[messaging.Config]{
	Name:            messaging.Name,
	DefaultGRPCAddr: messaging.DefaultGRPCAddr,
	Summary:         "The GovStack Messaging building block: e-mail and SMS delivery.",
	Serves: "the gRPC API (MessagingService, OperatorService), the dispatcher, the event consumers and the " +
		"event relay",
	Migrates: "templates and the Scheduling notification rules are seeded by migration",
	Settings: map[string]string{
		"GOVSTACK_MESSAGING_API_KEYS": "comma-separated name=key pairs accepted in the apiKey header (required); " +
			"keys of 16 characters or more, any length in development mode",
		"GOVSTACK_MESSAGING_DEV_MODE": "true on a development machine: API keys of any length",
		"GOVSTACK_JWKS_URL": "the user tokens' public keys, e.g. http://<gateway>/.well-known/jwks.json: staff and " +
			"admin tokens then reach the dead letters and the opt-out list (default: none; only IM clients with " +
			"the personal-data right do)",
		"GOVSTACK_TOKEN_ISSUER":                     "the iss user tokens must carry",
		"GOVSTACK_MESSAGING_SMTP_ADDR":              "SMTP relay host:port",
		"GOVSTACK_MESSAGING_SMTP_USERNAME":          "SMTP AUTH user (default: no AUTH)",
		"GOVSTACK_MESSAGING_SMTP_PASSWORD":          "its password",
		"GOVSTACK_MESSAGING_SMTP_FROM":              "default From address",
		"GOVSTACK_MESSAGING_SMTP_TLS":               "none, starttls (opportunistic), starttls-required or tls (implicit)",
		"GOVSTACK_MESSAGING_SMTP_TIMEOUT":           "connect/send time-out",
		"GOVSTACK_MESSAGING_SMTP_MESSAGES_PER_CONN": "messages sent over one SMTP connection before it is closed",
		"GOVSTACK_MESSAGING_SMTP_IDLE_TIMEOUT":      "an SMTP connection unused this long is closed",
		"GOVSTACK_MESSAGING_SMS_PROVIDER_URL":       "the HTTP SMS provider's URL",
		"GOVSTACK_MESSAGING_SMS_PROVIDER_TOKEN":     "its token",
		"GOVSTACK_MESSAGING_SMS_FROM":               "the SMS sender",
		"GOVSTACK_MESSAGING_MAX_BATCH":              "most recipients in one batch request",
		"GOVSTACK_MESSAGING_MAX_SUBJECT_BYTES":      "longest e-mail subject",
		"GOVSTACK_MESSAGING_MAX_BODY_BYTES":         "longest e-mail text + HTML",
		"GOVSTACK_MESSAGING_MAX_SMS_CHARS":          "longest SMS text",
		"GOVSTACK_MESSAGING_RECIPIENT_PER_HOUR":     "messages accepted for one recipient an hour, per channel; 0: no limit",
		"GOVSTACK_MESSAGING_EMAIL_PER_SECOND":       "e-mails sent a second, per replica; 0: no limit",
		"GOVSTACK_MESSAGING_SMS_PER_SECOND":         "SMS sent a second, per replica; 0: no limit",
		"GOVSTACK_MESSAGING_WORKERS":                "concurrent sends",
		"GOVSTACK_MESSAGING_MAX_ATTEMPTS":           "sends of a message before it is a dead letter",
		"GOVSTACK_MESSAGING_RETRY_BASE":             "wait after the first failure, doubled after each next",
		"GOVSTACK_MESSAGING_RETRY_MAX":              "longest wait between attempts",
		"GOVSTACK_MESSAGING_LEASE":                  "how long a claimed message is held before another replica may take it; renewed while a send runs",
		"GOVSTACK_MESSAGING_POLL_INTERVAL":          "longest idle wait of the dispatcher",
	},
	Migrations: messaging.Migrations,
	New: func(_ context.Context, cfg messaging.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return messaging.New(cfg, messaging.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
