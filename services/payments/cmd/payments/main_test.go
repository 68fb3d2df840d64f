package main

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
)

func TestCommandLine(t *testing.T) {
	bbcmdtest.CommandLine(t, command, "GOVSTACK_PAYMENTS_FOUR_EYES_ABOVE", "GOVSTACK_PAYMENTS_RAIL", "GOVSTACK_JWKS_URL")
}

func TestABadSettingIsNamed(t *testing.T) {
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_RAIL": "carrier-pigeon"}, "GOVSTACK_PAYMENTS_RAIL")
}

// The BB runs as serve does, answers health, and stops cleanly when its context is cancelled.
func TestServesAndStops(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, nil)
}

func TestAShortVoucherKeyIsRefused(t *testing.T) {
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_VOUCHER_KEY": "short"}, "GOVSTACK_PAYMENTS_VOUCHER_KEY")
}
