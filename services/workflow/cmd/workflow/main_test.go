package main

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
)

func TestCommandLine(t *testing.T) {
	bbcmdtest.CommandLine(t, command, "GOVSTACK_WORKFLOW_TIMER_POLL", "GOVSTACK_WORKFLOW_CONNECTORS", "GOVSTACK_WORKFLOW_GROUP_EMAILS")
}

// The BB runs as serve does, answers health, and stops cleanly when its context is cancelled.
func TestServesAndStops(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, nil)
}
