package devstack

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"slices"
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

// Registration's settings are read like the others; without an administrator named, govstack dev seeds the
// documented demo one, and a named one is kept.
func TestRegistrationSettings(t *testing.T) {
	cfg, err := config.LoadFrom[Config](map[string]string{
		"GOVSTACK_REGISTRATION_GRPC_ADDR": "127.0.0.1:9191", "GOVSTACK_REGISTRATION_ACCESS_TOKEN_TTL": "5m",
	})
	if err != nil {
		t.Fatal(err)
	}
	rc := devRegistration(cfg)
	if cfg.UpstreamAddr("registration") != "127.0.0.1:9191" || rc.AccessTokenTTL.String() != "5m0s" || rc.AdminEmail != DevAdminEmail ||
		rc.AdminPassword != DevAdminPassword || rc.DatabaseURL != cfg.DatabaseURL {
		t.Errorf("registration addr %q, config %+v", cfg.UpstreamAddr("registration"), rc)
	}
	cfg.Registration.AdminEmail, cfg.Registration.AdminPassword = "root@gov.example", "a long admin password 1"
	if rc := devRegistration(cfg); rc.AdminEmail != "root@gov.example" || rc.AdminPassword != "a long admin password 1" {
		t.Errorf("the configured administrator was replaced: %s", rc.AdminEmail)
	}
}

// govstack dev runs exactly the catalog's BBs, in its order: the catalog is the one list of BBs.
func TestDevRunsTheCatalog(t *testing.T) {
	var names []string
	for _, b := range buildingBlocks {
		names = append(names, b.name)
	}
	if !slices.Equal(names, catalog.Names()) {
		t.Errorf("govstack dev runs %v, the catalog lists %v", names, catalog.Names())
	}
}
