package main

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
)

func TestCommandLine(t *testing.T) {
	bbcmdtest.CommandLine(t, command, "GOVSTACK_IM_GRPC_ADDR", "GOVSTACK_REGISTRATION_IM_API_KEY",
		"GOVSTACK_REGISTRATION_PUBLIC_URL", "GOVSTACK_REGISTRATION_ADMIN_EMAIL")
}

// The BB runs as serve does, answers health, and stops cleanly when its context is cancelled. Registries is
// dialled through the IM lazily: not called here.
func TestServesAndStops(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, map[string]string{"GOVSTACK_IM_GRPC_ADDR": "127.0.0.1:1"})
}
