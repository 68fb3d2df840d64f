package bbcmd

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/config"
)

type demoConfig struct {
	config.Common
	// Poll has a default, Token is required, Plain has neither.
	Poll  time.Duration `env:"GOVSTACK_DEMO_POLL" envDefault:"1s"`
	Token string        `env:"GOVSTACK_DEMO_TOKEN,required"`
	Plain string        `env:"GOVSTACK_DEMO_PLAIN"`
	Inner struct {
		Deep string `env:"GOVSTACK_DEMO_DEEP"`
	}
}

var demo = Command[demoConfig]{
	Name: "demo", DefaultGRPCAddr: "127.0.0.1:9999",
	Summary: "The demo building block.", Serves: "the gRPC API (DemoService) and the event relay",
	Seeds: "load the demo things (idempotent)",
	Settings: map[string]string{
		"GOVSTACK_DEMO_POLL":  "how often to poll",
		"GOVSTACK_DEMO_TOKEN": "the token",
		"GOVSTACK_DEMO_PLAIN": "a very long description " + strings.Repeat("that goes on ", 12) + "(default: none)",
	},
	Seed: func(context.Context, demoConfig, *pgxpool.Pool) error { return nil },
}

func TestUsageIsComposedFromTheCommandAndTheConfig(t *testing.T) {
	u := demo.Usage()
	words := strings.Join(strings.Fields(u), " ") // the text, unwrapped
	for _, want := range []string{
		"Usage: demo <command>\n\nThe demo building block.\n\nCommands:\n",
		"  serve        run the gRPC API (DemoService) and the event relay until SIGINT/SIGTERM\n",
		"  migrate      create the database govstack_demo if missing and apply its migrations\n",
		"  seed         migrate, then load the demo things (idempotent)\n",
		"  healthcheck  exit 0 when the demo server at GOVSTACK_GRPC_ADDR",
	} {
		if !strings.Contains(u, want) {
			t.Errorf("usage lacks %q:\n%s", want, u)
		}
	}
	for _, want := range []string{
		"GOVSTACK_DATABASE_URL Postgres server URL; the BB uses database govstack_demo on it (default postgres://localhost:5432/postgres?sslmode=disable)",
		"GOVSTACK_NATS_URL NATS server URL, with JetStream (required by serve)",
		"GOVSTACK_GRPC_ADDR gRPC listen address (default 127.0.0.1:9999)",
		"GOVSTACK_LOG_LEVEL one of debug, info, warn, error (default info)",
		"GOVSTACK_SHUTDOWN_TIMEOUT how long serve drains in-flight calls on shutdown (default 15s)",
		"GOVSTACK_IM_KEYS_URL", "GOVSTACK_IM_ALLOW_DIRECT_CALLS", "GOVSTACK_METRICS_ADDR",
		"GOVSTACK_DEMO_POLL how often to poll (default 1s)",
		"GOVSTACK_DEMO_TOKEN the token (required)",
		"GOVSTACK_DEMO_DEEP OTEL_EXPORTER_OTLP_ENDPOINT send traces", // undescribed: the name alone
	} {
		if !strings.Contains(words, want) {
			t.Errorf("usage lacks %q:\n%s", want, u)
		}
	}
	if strings.Contains(u, "GOVSTACK_DATA_DIR") || strings.Contains(u, "GOVSTACK_HTTP_ADDR") {
		t.Errorf("usage lists a setting of config.Common that no BB uses:\n%s", u)
	}
	if strings.Count(u, "(default: none)") != 2 || strings.Contains(u, "(default: none) (default") {
		t.Errorf("a description that states its default got another:\n%s", u)
	}
	for _, l := range strings.Split(u, "\n") {
		if len(l) > usageWidth {
			t.Errorf("line of %d characters: %q", len(l), l)
		}
	}
	if without := (Command[demoConfig]{Name: "demo"}).Usage(); strings.Contains(without, "  seed") {
		t.Errorf("a BB without Seed has a seed command:\n%s", without)
	}
}

func TestOwnSettingsAreTheConfigsBeyondCommon(t *testing.T) {
	want := []string{"GOVSTACK_DEMO_POLL", "GOVSTACK_DEMO_TOKEN", "GOVSTACK_DEMO_PLAIN", "GOVSTACK_DEMO_DEEP"}
	if got := OwnSettings[demoConfig](); !slices.Equal(got, want) {
		t.Errorf("OwnSettings = %v, want %v", got, want)
	}
}

// A setting added to config.Common is either described in every BB's -h or said to be no BB's.
func TestEverySettingOfCommonIsDescribedOrLeftOut(t *testing.T) {
	described := demo.commonSettings()
	for _, s := range settings(reflect.TypeFor[config.Common]()) {
		if described[s.name] == "" && !notABBSetting[s.name] {
			t.Errorf("%s: neither in commonSettings nor in notABBSetting", s.name)
		}
	}
}

func TestCommonOf(t *testing.T) {
	cfg := demoConfig{}
	commonOf(&cfg).LogLevel = "debug"
	if cfg.LogLevel != "debug" {
		t.Error("commonOf is not the config's own Common")
	}
	defer func() {
		if recover() == nil {
			t.Error("commonOf of a config without config.Common did not panic")
		}
	}()
	commonOf(&struct{ X int }{})
}
