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

func TestBadRailSettingsAreNamed(t *testing.T) {
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_RAIL": "mobilemoney"}, "GOVSTACK_PAYMENTS_RAIL_URL")
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_RAIL": "mobilemoney",
		"GOVSTACK_PAYMENTS_RAIL_URL": "http://railsim:8095", "GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL": "gateway/rails",
		"GOVSTACK_PAYMENTS_RAIL_ATTEMPTS": "0", "GOVSTACK_PAYMENTS_RAIL_TIMEOUT": "0s"},
		"GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL", "GOVSTACK_PAYMENTS_RAIL_ATTEMPTS", "GOVSTACK_PAYMENTS_RAIL_TIMEOUT")
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_RAIL_RATE": "0"}, "GOVSTACK_PAYMENTS_RAIL_RATE")
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_CALLBACK_HOSTS": "https://erp.example/x"},
		"GOVSTACK_PAYMENTS_CALLBACK_HOSTS")
}

// The BB runs with the mobile money rail configured (the rail need not answer for the BB to serve).
func TestServesWithTheMobileMoneyRail(t *testing.T) {
	bbcmdtest.ServesAndStops(t, command, map[string]string{"GOVSTACK_PAYMENTS_RAIL": "mobilemoney",
		"GOVSTACK_PAYMENTS_RAIL_URL": "http://127.0.0.1:1", "GOVSTACK_PAYMENTS_CALLBACK_HOSTS": "erp.ministry.example:8443"})
}

func TestAShortVoucherKeyIsRefused(t *testing.T) {
	bbcmdtest.ConfigError(t, command, "migrate", map[string]string{"GOVSTACK_PAYMENTS_VOUCHER_KEY": "short"}, "GOVSTACK_PAYMENTS_VOUCHER_KEY")
}
