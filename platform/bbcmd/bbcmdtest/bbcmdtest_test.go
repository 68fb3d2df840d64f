package bbcmdtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/bbcmd"
	"github.com/govstackbb/marketplace/platform/config"
)

type demoConfig struct {
	config.Common
	Poll string `env:"GOVSTACK_DEMO_POLL" envDefault:"1s"`
}

var demo = bbcmd.Command[demoConfig]{
	Name: "demo", DefaultGRPCAddr: "127.0.0.1:9999", Summary: "The demo building block.",
	Settings: map[string]string{"GOVSTACK_DEMO_POLL": "how often to poll"},
	New: func(context.Context, demoConfig, bbcmd.Conns) (bbcmd.Service, error) {
		return nil, fmt.Errorf("not built in this test")
	},
}

// recorder is a test whose failures are kept to be looked at.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}

func TestCommandLinePassesAConformingCommand(t *testing.T) {
	r := &recorder{TB: t}
	CommandLine(r, demo, "GOVSTACK_DEMO_POLL")
	if len(r.errors) > 0 {
		t.Errorf("CommandLine failed a conforming command: %q", r.errors)
	}
}

func TestCommandLineFails(t *testing.T) {
	stale := demo
	stale.Settings = map[string]string{"GOVSTACK_DEMO_GONE": "a setting no longer read"}
	tests := []struct {
		name  string
		cmd   bbcmd.Command[demoConfig]
		words []string
		want  []string
	}{
		{"a word the usage lacks", demo, []string{"GOVSTACK_DEMO_ELSE"}, []string{"usage lacks GOVSTACK_DEMO_ELSE"}},
		{"settings out of step with the Config", stale, nil, []string{
			"Settings does not describe GOVSTACK_DEMO_POLL", "Settings describes GOVSTACK_DEMO_GONE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			CommandLine(r, tt.cmd, tt.words...)
			got := strings.Join(r.errors, "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("errors %q lack %q", got, w)
				}
			}
		})
	}
}
