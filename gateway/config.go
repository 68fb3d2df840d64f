package gateway

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
)

// Config is the gateway's settings, read by config.Load from GOVSTACK_* variables.
type Config struct {
	config.Common // GOVSTACK_HTTP_ADDR (the REST listener), GOVSTACK_LOG_LEVEL, GOVSTACK_SHUTDOWN_TIMEOUT, …

	// Standalone lists extra listeners, "bb=addr,bb=addr", each serving one building block's REST paths at
	// its root: for single-BB deployments and the GovStack test suites, which expect a BB at "/".
	Standalone string `env:"GOVSTACK_GATEWAY_STANDALONE"`
	// RegistriesAddr is the gRPC address of the Digital Registries building block.
	RegistriesAddr string `env:"GOVSTACK_REGISTRIES_GRPC_ADDR" envDefault:"127.0.0.1:9092"`
	// RequestTimeout bounds one REST request; it becomes the gRPC deadline of the upstream call.
	RequestTimeout time.Duration `env:"GOVSTACK_GATEWAY_REQUEST_TIMEOUT" envDefault:"30s"`
	// MaxBodyBytes is the largest request body accepted; larger ones get 413.
	MaxBodyBytes int64 `env:"GOVSTACK_GATEWAY_MAX_BODY_BYTES" envDefault:"1048576"`
}

// listener is one parsed entry of Config.Standalone.
type listener struct{ BB, Addr string }

// Validate reports every invalid setting at once, naming the variable to fix. It includes config.Common's
// checks, so a Config built in code (as govstack dev does) is checked as fully as one from config.Load.
func (c Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if c.HTTPAddr == "" {
		errs = append(errs, errors.New("GOVSTACK_HTTP_ADDR: the gateway needs a REST listener address, e.g. 127.0.0.1:8080"))
	}
	if err := checkHostPort(c.RegistriesAddr); err != nil {
		errs = append(errs, fmt.Errorf("GOVSTACK_REGISTRIES_GRPC_ADDR: %w", err))
	}
	if c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_REQUEST_TIMEOUT: must be a positive duration such as 30s (got %s)", c.RequestTimeout))
	}
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_MAX_BODY_BYTES: must be a positive number of bytes such as 1048576 (got %d)", c.MaxBodyBytes))
	}
	if _, err := c.standalone(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// StandaloneListeners returns Standalone as building block → listen address, for callers that bind the
// listeners themselves (govstack dev, which needs the chosen ports of ":0" addresses). It is nil when
// Standalone is empty or invalid; Validate (run by config.Load and New) reports why.
func (c Config) StandaloneListeners() map[string]string {
	ls, err := c.standalone()
	if err != nil || len(ls) == 0 {
		return nil
	}
	m := make(map[string]string, len(ls))
	for _, l := range ls {
		m[l.BB] = l.Addr
	}
	return m
}

// standalone parses Standalone: known BB names, host:port addresses, no BB twice, no address used twice.
func (c Config) standalone() ([]listener, error) {
	const name = "GOVSTACK_GATEWAY_STANDALONE"
	var out []listener
	usedAddr := map[string]string{c.HTTPAddr: "GOVSTACK_HTTP_ADDR"}
	for item := range strings.SplitSeq(c.Standalone, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue // tolerate "a=x," and an empty setting
		}
		bb, addr, ok := strings.Cut(item, "=")
		bb, addr = strings.TrimSpace(bb), strings.TrimSpace(addr)
		if !ok || bb == "" || addr == "" {
			return nil, fmt.Errorf("%s: each entry must be bb=host:port, e.g. registries=127.0.0.1:3333 (got %q)", name, item)
		}
		if !slices.Contains(BBs(), bb) {
			return nil, fmt.Errorf("%s: unknown building block %q: must be one of %s", name, bb, strings.Join(BBs(), ", "))
		}
		if err := checkHostPort(addr); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, bb, err)
		}
		if slices.ContainsFunc(out, func(l listener) bool { return l.BB == bb }) {
			return nil, fmt.Errorf("%s: %s is listed twice", name, bb)
		}
		if other, taken := usedAddr[addr]; taken && !strings.HasSuffix(addr, ":0") {
			return nil, fmt.Errorf("%s: %s: address %s is already used by %s", name, bb, addr, other)
		}
		usedAddr[addr] = name + " " + bb
		out = append(out, listener{BB: bb, Addr: addr})
	}
	return out, nil
}

func checkHostPort(addr string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return fmt.Errorf("must be host:port, e.g. 127.0.0.1:9092 (got %q)", addr)
	}
	return nil
}
