// Command registration runs the GovStack Registration building block on its own: `registration serve`,
// `registration migrate`, `registration seed`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"

	"github.com/govstackbb/marketplace/platform/bbcmd"

	"github.com/govstackbb/marketplace/services/registration"
)

// command is this BB's binary; bbcmd runs its commands.
var command = bbcmd.Command[registration.Config]{
	Name:            registration.Name,
	DefaultGRPCAddr: registration.DefaultGRPCAddr,
	Summary:         "The GovStack Registration building block: e-services, account registration and sign-in.",
	Serves:          "the gRPC API (EServiceService, AccountService, AuthService), the event relay and the signing-key rotation",
	Seeds: "create or reset the administrator account (GOVSTACK_REGISTRATION_ADMIN_EMAIL and " +
		"GOVSTACK_REGISTRATION_ADMIN_PASSWORD)",
	Settings: map[string]string{
		"GOVSTACK_REGISTRATION_PUBLIC_URL": "base of the links in e-mails (/activate, /reset-password, " +
			"/register/buyer): the portal's pages",
		"GOVSTACK_IM_GRPC_ADDR":                    "the Information Mediator's gRPC address; Digital Registries is called through it",
		"GOVSTACK_REGISTRATION_IM_CLIENT":          "this BB's IM subsystem",
		"GOVSTACK_REGISTRATION_IM_API_KEY":         "its IM API key (gateway issue-key; not needed in the IM's dev mode)",
		"GOVSTACK_REGISTRATION_TOKEN_ISSUER":       "iss of access tokens",
		"GOVSTACK_REGISTRATION_ACCESS_TOKEN_TTL":   "access token lifetime",
		"GOVSTACK_REGISTRATION_REFRESH_TOKEN_TTL":  "refresh token lifetime",
		"GOVSTACK_REGISTRATION_KEY_ROTATION":       "how often a new signing key is made",
		"GOVSTACK_REGISTRATION_ACTIVATION_TTL":     "activation link lifetime",
		"GOVSTACK_REGISTRATION_RESET_TTL":          "password-reset link lifetime",
		"GOVSTACK_REGISTRATION_MAX_DOCUMENT_BYTES": "largest uploaded document",
		"GOVSTACK_REGISTRATION_WEBMAIL_DOMAINS_FILE": "replaces the shipped list of webmail domains, which cannot be " +
			"put forward for domain access: one a line, label.* for any top-level domain, # comments (default: the shipped list)",
		"GOVSTACK_REGISTRATION_ADMIN_EMAIL":    "the administrator seed creates or resets (with _ADMIN_PASSWORD)",
		"GOVSTACK_REGISTRATION_ADMIN_PASSWORD": "that administrator's password",
	},
	Migrations: registration.Migrations,
	Seed:       registration.Seed,
	New: func(_ context.Context, cfg registration.Config, c bbcmd.Conns) (bbcmd.Service, error) {
		return registration.New(cfg, registration.Deps{Pool: c.Pool, JetStream: c.JetStream, Logger: c.Logger})
	},
}

func main() { command.Main() }
