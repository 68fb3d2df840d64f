package main

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
)

func TestCommandLine(t *testing.T) {
	bbcmdtest.CommandLine(t, command, "GOVSTACK_MESSAGING_API_KEYS", "GOVSTACK_MESSAGING_SMTP_TLS",
		"GOVSTACK_MESSAGING_DEV_MODE", "GOVSTACK_JWKS_URL", "GOVSTACK_TOKEN_ISSUER")
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_MESSAGING_SMTP_TLS": "maybe"},
		"GOVSTACK_MESSAGING_SMTP_TLS")
	// A short key in production: the error says how long, and how a development machine gets by.
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_MESSAGING_API_KEYS": "short=abc"},
		"GOVSTACK_MESSAGING_API_KEYS", "at least 16", "GOVSTACK_MESSAGING_DEV_MODE=true")
}

// The BB runs as serve does, answers health, and stops cleanly when its context is cancelled.
func TestServesAndStops(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, nil)
}
