package main

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
)

func TestCommandLine(t *testing.T) {
	bbcmdtest.CommandLine(t, command)
	// A BB that would answer whoever reaches its port does not start; the error says what to set.
	bbcmdtest.ConfigError(t, command, "serve", map[string]string{"GOVSTACK_NATS_URL": "nats://127.0.0.1:1"},
		"GOVSTACK_IM_KEYS_URL", "GOVSTACK_IM_ALLOW_DIRECT_CALLS")
}

// The BB runs as serve does, answers health, and stops cleanly when its context is cancelled.
func TestServesAndStops(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, nil)
}
