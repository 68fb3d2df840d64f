package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoadFromDefaults(t *testing.T) {
	c, err := LoadFrom[Common](nil)
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	want := Common{
		DatabaseURL:     "postgres://localhost:5432/postgres?sslmode=disable",
		DataDir:         "./.govstack",
		HTTPAddr:        "127.0.0.1:8080",
		LogLevel:        "info",
		ShutdownTimeout: 15 * time.Second,
	}
	if c != want {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
}

func TestLoadFromValues(t *testing.T) {
	c, err := LoadFrom[Common](map[string]string{
		"GOVSTACK_NATS_URL":         "nats://127.0.0.1:4222",
		"GOVSTACK_GRPC_ADDR":        ":9091",
		"GOVSTACK_LOG_LEVEL":        "debug",
		"GOVSTACK_SHUTDOWN_TIMEOUT": "2m",
	})
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	if c.NATSURL != "nats://127.0.0.1:4222" || c.GRPCAddr != ":9091" || c.LogLevel != "debug" ||
		c.ShutdownTimeout != 2*time.Minute {
		t.Errorf("values not read: %+v", c)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings, all of which must appear
	}{
		{"log level", map[string]string{"GOVSTACK_LOG_LEVEL": "loud"},
			[]string{`GOVSTACK_LOG_LEVEL: must be one of debug, info, warn, error (got "loud")`}},
		{"bare port", map[string]string{"GOVSTACK_GRPC_ADDR": "9091"},
			[]string{`GOVSTACK_GRPC_ADDR: must be host:port`, `(got "9091")`}},
		{"port out of range", map[string]string{"GOVSTACK_HTTP_ADDR": "127.0.0.1:70000"},
			[]string{`GOVSTACK_HTTP_ADDR: port must be a number from 0 to 65535`}},
		{"zero timeout", map[string]string{"GOVSTACK_SHUTDOWN_TIMEOUT": "0s"},
			[]string{`GOVSTACK_SHUTDOWN_TIMEOUT: must be a positive duration`}},
		{"unparsable duration", map[string]string{"GOVSTACK_SHUTDOWN_TIMEOUT": "soon"},
			[]string{`GOVSTACK_SHUTDOWN_TIMEOUT: invalid duration (e.g. 15s, 2m) "soon"`}},
		{"all at once", map[string]string{"GOVSTACK_LOG_LEVEL": "loud", "GOVSTACK_GRPC_ADDR": "x"},
			[]string{"GOVSTACK_LOG_LEVEL:", "GOVSTACK_GRPC_ADDR:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFrom[Common](tt.env)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "parse error on field") {
				t.Errorf("error %q still speaks of Go fields", err)
			}
		})
	}
}

type serviceConfig struct {
	Common
	BatchSize int    `env:"GOVSTACK_TEST_BATCH_SIZE" envDefault:"10"`
	Verbose   bool   `env:"GOVSTACK_TEST_VERBOSE"`
	Token     string `env:"GOVSTACK_TEST_TOKEN,required"`
}

func (c serviceConfig) Validate() error {
	if c.BatchSize < 1 {
		return errors.New("GOVSTACK_TEST_BATCH_SIZE: must be at least 1")
	}
	return nil
}

type pointerValidated struct {
	Name string `env:"GOVSTACK_TEST_NAME"`
}

func (p *pointerValidated) Validate() error {
	if p.Name == "" {
		return errors.New("GOVSTACK_TEST_NAME: required")
	}
	return nil
}

func TestLoadFromServiceConfig(t *testing.T) {
	base := map[string]string{"GOVSTACK_TEST_TOKEN": "t"}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			if _, ok := m[bk]; !ok {
				m[bk] = bv
			}
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"ok", base, ""},
		{"own validate", with("GOVSTACK_TEST_BATCH_SIZE", "0"), "GOVSTACK_TEST_BATCH_SIZE: must be at least 1"},
		{"embedded common validated despite own Validate", with("GOVSTACK_LOG_LEVEL", "loud"), "GOVSTACK_LOG_LEVEL: must be one of"},
		{"bad int", with("GOVSTACK_TEST_BATCH_SIZE", "ten"), `GOVSTACK_TEST_BATCH_SIZE: invalid integer "ten"`},
		{"bad bool", with("GOVSTACK_TEST_VERBOSE", "sure"), `GOVSTACK_TEST_VERBOSE: invalid boolean (true or false) "sure"`},
		{"required", map[string]string{}, "GOVSTACK_TEST_TOKEN: required but not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadFrom[serviceConfig](tt.env)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("LoadFrom: %v", err)
				}
				if c.BatchSize != 10 || c.Token != "t" || c.LogLevel != "info" {
					t.Errorf("got %+v", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadFromPointerReceiverValidate(t *testing.T) {
	if _, err := LoadFrom[pointerValidated](nil); err == nil || !strings.Contains(err.Error(), "GOVSTACK_TEST_NAME") {
		t.Fatalf("error = %v, want the *T Validate error", err)
	}
	if _, err := LoadFrom[pointerValidated](map[string]string{"GOVSTACK_TEST_NAME": "x"}); err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
}

func TestLoadReadsProcessEnvironment(t *testing.T) {
	t.Setenv("GOVSTACK_LOG_LEVEL", "warn")
	t.Setenv("GOVSTACK_DATA_DIR", os.TempDir())
	c, err := Load[Common]()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.LogLevel != "warn" || c.DataDir != os.TempDir() {
		t.Errorf("got %+v", c)
	}
}

func TestDatabaseURLFor(t *testing.T) {
	tests := []struct {
		url, bb, want, wantErr string
	}{
		{"postgres://localhost:5432/postgres?sslmode=disable", "registries",
			"postgres://localhost:5432/govstack_registries?sslmode=disable", ""},
		{"postgresql://u:p%40ss@db:5432", "payments", "postgresql://u:p%40ss@db:5432/govstack_payments", ""},
		{"postgres://h/x/y?sslmode=require&connect_timeout=5", "workflow",
			"postgres://h/govstack_workflow?sslmode=require&connect_timeout=5", ""},
		{"postgres://localhost/postgres", "gateway", "postgres://localhost/govstack_gateway", ""},
		{"postgres://localhost/postgres", "billing", "postgres://localhost/govstack_billing", ""},
		{"postgres://localhost/postgres", "x; drop", "", `"x; drop" is not a building block's name`},
		{"host=localhost dbname=postgres", "registries", "", "GOVSTACK_DATABASE_URL: must be a postgres:// URL"},
		{"postgres://u:secret@h:99999999999/db\x7f", "registries", "", "GOVSTACK_DATABASE_URL: not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.bb+" "+tt.url, func(t *testing.T) {
			got, err := Common{DatabaseURL: tt.url}.DatabaseURLFor(tt.bb)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error leaks the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DatabaseURLFor: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
