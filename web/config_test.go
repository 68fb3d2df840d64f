package portal

import (
	"strings"
	"testing"
)

func TestConfigDefaultsAndValidation(t *testing.T) {
	cfg, err := LoadConfig(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8081" || cfg.GatewayURL != "http://127.0.0.1:8080" || cfg.IMClient != "GOVSTACK/GOV/GOVSTACK/portal" {
		t.Errorf("defaults %+v", cfg)
	}
	if err := cfg.ValidateSecret(); err == nil || !strings.Contains(err.Error(), "GOVSTACK_PORTAL_SESSION_SECRET") {
		t.Errorf("an empty secret: %v", err)
	}
	if cfg.SecureCookies() {
		t.Error("cookies Secure without TLS")
	}
	_, err = LoadConfig(map[string]string{"GOVSTACK_PORTAL_ADDR": "8081", "GOVSTACK_PORTAL_GATEWAY_URL": "gateway:8080",
		"GOVSTACK_PORTAL_IM_CLIENT": "portal", "GOVSTACK_PORTAL_TLS_CERT_FILE": "c.pem", "GOVSTACK_PORTAL_SESSION_IDLE": "0s",
		"GOVSTACK_LOG_LEVEL": "loud", "GOVSTACK_PORTAL_PUBLIC_URL": "portal.example"})
	for _, name := range []string{"GOVSTACK_PORTAL_ADDR", "GOVSTACK_PORTAL_GATEWAY_URL", "GOVSTACK_PORTAL_IM_CLIENT",
		"GOVSTACK_PORTAL_TLS_KEY_FILE", "GOVSTACK_PORTAL_SESSION_IDLE", "GOVSTACK_LOG_LEVEL", "GOVSTACK_PORTAL_PUBLIC_URL"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("the error does not name %s: %v", name, err)
		}
	}
	cfg, err = LoadConfig(map[string]string{"GOVSTACK_PORTAL_PUBLIC_URL": "https://portal.example.gov"})
	if err != nil || !cfg.SecureCookies() {
		t.Errorf("an https public URL: Secure=%v, %v", cfg.SecureCookies(), err)
	}
}

// Every setting has a line of help.
func TestEverySettingIsDescribed(t *testing.T) {
	for _, s := range Settings() {
		if s.Help == "" {
			t.Errorf("%s has no help tag", s.Name)
		}
	}
	if len(Settings()) < 10 {
		t.Errorf("only %d settings listed", len(Settings()))
	}
}
