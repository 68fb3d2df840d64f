package simulator

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
)

// Settings are the simulator's settings, read from the environment (config.Load); every one is described
// in SettingDocs.
type Settings struct {
	Addr            string        `env:"GOVSTACK_RAILSIM_ADDR" envDefault:"127.0.0.1:8095"`
	Seed            int64         `env:"GOVSTACK_RAILSIM_SEED" envDefault:"1"`
	Token           string        `env:"GOVSTACK_RAILSIM_TOKEN"`
	SettleDelay     time.Duration `env:"GOVSTACK_RAILSIM_SETTLE_DELAY" envDefault:"0s"`
	MaxDelay        time.Duration `env:"GOVSTACK_RAILSIM_MAX_DELAY" envDefault:"50ms"`
	UnknownAccounts []string      `env:"GOVSTACK_RAILSIM_UNKNOWN_ACCOUNTS" envSeparator:","`
	// CallbackClient and CallbackAPIKey are the IM client the callbacks claim (X-GovStack-Client) and its
	// IM API key (X-GovStack-Api-Key): the gateway answers only identified clients.
	CallbackClient string `env:"GOVSTACK_RAILSIM_CALLBACK_CLIENT"`
	CallbackAPIKey string `env:"GOVSTACK_RAILSIM_CALLBACK_API_KEY"`

	Delay             float64 `env:"GOVSTACK_RAILSIM_DELAY_RATE"`
	ErrorBeforeAccept float64 `env:"GOVSTACK_RAILSIM_ERROR_BEFORE_RATE"`
	ErrorAfterAccept  float64 `env:"GOVSTACK_RAILSIM_ERROR_AFTER_RATE"`
	Timeout           float64 `env:"GOVSTACK_RAILSIM_TIMEOUT_RATE"`
	UnknownAccount    float64 `env:"GOVSTACK_RAILSIM_UNKNOWN_ACCOUNT_RATE"`
	InsufficientFunds float64 `env:"GOVSTACK_RAILSIM_INSUFFICIENT_FUNDS_RATE"`
	CallbackLost      float64 `env:"GOVSTACK_RAILSIM_CALLBACK_LOST_RATE"`
	CallbackDuplicate float64 `env:"GOVSTACK_RAILSIM_CALLBACK_DUPLICATE_RATE"`
	CallbackReorder   float64 `env:"GOVSTACK_RAILSIM_CALLBACK_REORDER_RATE"`

	LogLevel        string        `env:"GOVSTACK_LOG_LEVEL" envDefault:"info"`
	ShutdownTimeout time.Duration `env:"GOVSTACK_SHUTDOWN_TIMEOUT" envDefault:"15s"`
}

// SettingDocs describe each setting for -h.
var SettingDocs = map[string]string{
	"GOVSTACK_RAILSIM_ADDR":                    "the API's listener (in a container: 0.0.0.0:8095)",
	"GOVSTACK_RAILSIM_SEED":                    "fixes every fault decision: the same seed, the same faults for the same instructions",
	"GOVSTACK_RAILSIM_TOKEN":                   "when set, API calls must carry Authorization: Bearer <token>",
	"GOVSTACK_RAILSIM_SETTLE_DELAY":            "how long an accepted disbursement stays pending (0: settled before the answer)",
	"GOVSTACK_RAILSIM_MAX_DELAY":               "the longest injected delay",
	"GOVSTACK_RAILSIM_UNKNOWN_ACCOUNTS":        "financial addresses (comma-separated) the rail never knows",
	"GOVSTACK_RAILSIM_CALLBACK_CLIENT":         "the IM client its callbacks claim (X-GovStack-Client), e.g. GOVSTACK/COM/RAILSIM/callbacks",
	"GOVSTACK_RAILSIM_CALLBACK_API_KEY":        "that client's IM API key (X-GovStack-Api-Key); not needed by a gateway in development mode",
	"GOVSTACK_RAILSIM_DELAY_RATE":              "share of API requests delayed (0-1)",
	"GOVSTACK_RAILSIM_ERROR_BEFORE_RATE":       "share answered 503 before being looked at",
	"GOVSTACK_RAILSIM_ERROR_AFTER_RATE":        "share of POSTs recorded, then answered 500",
	"GOVSTACK_RAILSIM_TIMEOUT_RATE":            "share of requests handled and then not answered until the client gives up",
	"GOVSTACK_RAILSIM_UNKNOWN_ACCOUNT_RATE":    "share of payee accounts the rail does not know",
	"GOVSTACK_RAILSIM_INSUFFICIENT_FUNDS_RATE": "share of accepted disbursements that fail for insufficient funds",
	"GOVSTACK_RAILSIM_CALLBACK_LOST_RATE":      "share of result callbacks never sent",
	"GOVSTACK_RAILSIM_CALLBACK_DUPLICATE_RATE": "share of result callbacks sent twice",
	"GOVSTACK_RAILSIM_CALLBACK_REORDER_RATE":   "share of result callbacks sent late, after later results",
	"GOVSTACK_LOG_LEVEL":                       "debug, info, warn or error",
	"GOVSTACK_SHUTDOWN_TIMEOUT":                "how long requests in flight may finish on SIGTERM",
}

// Faults are the fault rates of the settings.
func (s Settings) Faults() Faults {
	return Faults{Delay: s.Delay, ErrorBeforeAccept: s.ErrorBeforeAccept, ErrorAfterAccept: s.ErrorAfterAccept,
		Timeout: s.Timeout, UnknownAccount: s.UnknownAccount, InsufficientFunds: s.InsufficientFunds,
		CallbackLost: s.CallbackLost, CallbackDuplicate: s.CallbackDuplicate, CallbackReorder: s.CallbackReorder}
}

// Validate reports every bad setting at once, each by its variable.
func (s Settings) Validate() error {
	var errs []error
	v := reflect.ValueOf(s)
	for i := range v.NumField() {
		name := v.Type().Field(i).Tag.Get("env")
		if r, ok := v.Field(i).Interface().(float64); ok && !(r >= 0 && r <= 1) {
			errs = append(errs, fmt.Errorf("%s: must be a rate between 0 and 1 (got %v)", name, r))
		}
	}
	if s.CallbackAPIKey != "" && s.CallbackClient == "" {
		errs = append(errs, errors.New("GOVSTACK_RAILSIM_CALLBACK_CLIENT: must name the IM client GOVSTACK_RAILSIM_CALLBACK_API_KEY belongs to"))
	}
	if _, _, err := net.SplitHostPort(s.Addr); err != nil {
		errs = append(errs, fmt.Errorf("GOVSTACK_RAILSIM_ADDR: must be host:port (got %q)", s.Addr))
	}
	if !slices.Contains(config.LogLevels, s.LogLevel) {
		errs = append(errs, fmt.Errorf("GOVSTACK_LOG_LEVEL: must be one of %s (got %q)", strings.Join(config.LogLevels, ", "), s.LogLevel))
	}
	if s.SettleDelay < 0 || s.MaxDelay < 0 || s.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("GOVSTACK_RAILSIM_SETTLE_DELAY, GOVSTACK_RAILSIM_MAX_DELAY: must not be negative; GOVSTACK_SHUTDOWN_TIMEOUT: must be positive"))
	}
	return errors.Join(errs...)
}

// Usage is railsim -h: the commands and every setting with its default.
func Usage() string {
	var b strings.Builder
	b.WriteString(`railsim — a simulator of a GSMA Mobile Money API payment rail, with seeded faults.

Usage:
  railsim serve        answer the API (disbursements, reversals, request states, transactions,
                       account names, missed responses) and GET /simulator/totals, PUT /simulator/faults
  railsim healthcheck  exit 0 when the simulator on GOVSTACK_RAILSIM_ADDR answers its heartbeat

Settings:
`)
	t := reflect.TypeFor[Settings]()
	var lines []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, def := f.Tag.Get("env"), f.Tag.Get("envDefault")
		line := fmt.Sprintf("  %-42s %s", name, SettingDocs[name])
		if def != "" {
			line += " (default " + def + ")"
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	b.WriteString(strings.Join(lines, "\n") + "\n")
	return b.String()
}
