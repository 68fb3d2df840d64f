package main

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
)

func TestCommandLine(t *testing.T) {
	bbcmdtest.CommandLine(t, command, "GOVSTACK_JWKS_URL", "GOVSTACK_TOKEN_ISSUER")
}

// The BB runs as serve does, answers health, and stops cleanly when its context is cancelled.
func TestServesAndStops(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, nil)
}
