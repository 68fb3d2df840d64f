// Package config reads a service's typed settings from GOVSTACK_* environment variables.
//
// A service declares one struct, embeds Common for the well-known settings (ARCHITECTURE.md §11) and calls
// Load once in run. Every error names the variable an operator has to fix, because the struct field names
// mean nothing to the person reading the error in a container log.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// serviceName is what DatabaseURLFor accepts as the name of a service that owns a database (a building
// block of proto/govstack/catalog, or the gateway): lowercase letters, so govstack_<name> needs no quoting.
var serviceName = regexp.MustCompile(`^[a-z]{2,32}$`)

// LogLevels are the accepted values of GOVSTACK_LOG_LEVEL.
var LogLevels = []string{"debug", "info", "warn", "error"}

// Common holds the well-known settings of ARCHITECTURE.md §11. Services embed it in their own config struct.
type Common struct {
	DatabaseURL     string        `env:"GOVSTACK_DATABASE_URL" envDefault:"postgres://localhost:5432/postgres?sslmode=disable"`
	NATSURL         string        `env:"GOVSTACK_NATS_URL"` // empty = embedded (only govstack dev)
	DataDir         string        `env:"GOVSTACK_DATA_DIR" envDefault:"./.govstack"`
	HTTPAddr        string        `env:"GOVSTACK_HTTP_ADDR" envDefault:"127.0.0.1:8080"`
	GRPCAddr        string        `env:"GOVSTACK_GRPC_ADDR"`
	LogLevel        string        `env:"GOVSTACK_LOG_LEVEL" envDefault:"info"` // debug|info|warn|error
	MetricsAddr     string        `env:"GOVSTACK_METRICS_ADDR"`                // /metrics listener of a gRPC-only process; empty = off
	ShutdownTimeout time.Duration `env:"GOVSTACK_SHUTDOWN_TIMEOUT" envDefault:"15s"`
	// IMKeysURL is where a BB reads the Information Mediator's public keys, to verify the assertion the IM
	// signs on every call it forwards (platform/imassert): e.g. http://gateway:8080/.well-known/govstack-im-keys.json.
	// A BB's serve refuses to start without it, unless AllowDirectCalls.
	IMKeysURL string `env:"GOVSTACK_IM_KEYS_URL"`
	// AllowDirectCalls lets a BB serve calls that did not come through the IM, trusting the identity they
	// claim: for a development machine only.
	AllowDirectCalls bool `env:"GOVSTACK_IM_ALLOW_DIRECT_CALLS"`
}

// Validate reports every invalid setting at once, so an operator fixes them in one round.
func (c Common) Validate() error {
	var errs []error
	if !slices.Contains(LogLevels, c.LogLevel) {
		errs = append(errs, fmt.Errorf("GOVSTACK_LOG_LEVEL: must be one of %s (got %q)",
			strings.Join(LogLevels, ", "), c.LogLevel))
	}
	if err := checkAddr("GOVSTACK_HTTP_ADDR", c.HTTPAddr); err != nil {
		errs = append(errs, err)
	}
	if err := checkAddr("GOVSTACK_GRPC_ADDR", c.GRPCAddr); err != nil {
		errs = append(errs, err)
	}
	if err := checkAddr("GOVSTACK_METRICS_ADDR", c.MetricsAddr); err != nil {
		errs = append(errs, err)
	}
	if u, err := url.Parse(c.IMKeysURL); c.IMKeysURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("GOVSTACK_IM_KEYS_URL: must be an http(s) URL such as http://gateway:8080/.well-known/govstack-im-keys.json (got %q)", c.IMKeysURL))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_SHUTDOWN_TIMEOUT: must be a positive duration such as 15s (got %s)",
			c.ShutdownTimeout))
	}
	return errors.Join(errs...)
}

// checkAddr accepts an empty address (the setting is optional for processes that do not listen) or host:port
// with a numeric port; a bare port like "8080" is the most common mistake, so the message shows the fix.
func checkAddr(name, addr string) error {
	if addr == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: must be host:port, e.g. 127.0.0.1:9090 or :9090 (got %q)", name, addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("%s: port must be a number from 0 to 65535 (got %q)", name, addr)
	}
	return nil
}

// DatabaseURLFor returns the server URL with the database name replaced by govstack_<bb>: every BB owns one
// database on the shared server, and the query (sslmode etc.) stays as the operator set it.
func (c Common) DatabaseURLFor(bb string) (string, error) {
	if !serviceName.MatchString(bb) {
		return "", fmt.Errorf("config: %q is not a building block's name (lowercase letters, e.g. registries)", bb)
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		// url.Error repeats the whole URL, which may carry a password; name the variable instead.
		return "", fmt.Errorf("GOVSTACK_DATABASE_URL: not a valid URL")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("GOVSTACK_DATABASE_URL: must be a postgres:// URL, e.g. postgres://localhost:5432/postgres?sslmode=disable (got scheme %q)", u.Scheme)
	}
	u.Path = "/govstack_" + bb
	u.RawPath = ""
	return u.String(), nil
}
