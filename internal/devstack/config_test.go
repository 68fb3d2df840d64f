package devstack

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/config"
)

// The BBs' own settings live in nested structs; they must be read from the environment like the rest.
func TestConfigReadsNestedBBSettings(t *testing.T) {
	cfg, err := config.LoadFrom[Config](map[string]string{
		"GOVSTACK_MESSAGING_SMTP_ADDR": "127.0.0.1:2525", "GOVSTACK_HTTP_ADDR": "127.0.0.1:9999",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Messaging.SMTPAddr != "127.0.0.1:2525" || cfg.HTTPAddr != "127.0.0.1:9999" || !cfg.DevMode {
		t.Errorf("messaging SMTP %q, HTTP %q, dev mode %v", cfg.Messaging.SMTPAddr, cfg.HTTPAddr, cfg.DevMode)
	}
}
