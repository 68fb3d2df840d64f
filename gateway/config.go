package gateway

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// Config is the gateway's settings, read by config.Load from GOVSTACK_* variables.
type Config struct {
	config.Common // GOVSTACK_HTTP_ADDR (REST), GOVSTACK_GRPC_ADDR (BB-to-BB gRPC), GOVSTACK_DATABASE_URL, GOVSTACK_NATS_URL, …
	IMConfig      // authentication, rights bootstrap, rate limits, TLS, message log

	// BBs are the building blocks behind this gateway, comma-separated; a partner government running one BB
	// lists only that one, so /readyz does not wait for BBs that are not deployed.
	// Empty means every BB of the catalog.
	BBs string `env:"GOVSTACK_GATEWAY_BBS"`

	// Standalone lists extra listeners, "bb=addr,bb=addr", each serving one building block's REST paths at
	// its root: for single-BB deployments and the GovStack test suites, which expect a BB at "/".
	Standalone string `env:"GOVSTACK_GATEWAY_STANDALONE"`
	// Upstreams are the gRPC addresses of the building blocks by name: GOVSTACK_<BB>_GRPC_ADDR for each BB
	// of the catalog (proto/govstack/catalog), default 127.0.0.1:<its port>. A BB missing here is at its
	// default address.
	Upstreams map[string]string
	// TokenIssuer is the iss a user access token must carry (Registration's GOVSTACK_REGISTRATION_TOKEN_ISSUER).
	TokenIssuer string `env:"GOVSTACK_TOKEN_ISSUER" envDefault:"govstack-registration"`
	// RequestTimeout bounds one REST request; it becomes the gRPC deadline of the upstream call.
	RequestTimeout time.Duration `env:"GOVSTACK_GATEWAY_REQUEST_TIMEOUT" envDefault:"30s"`
	// MaxBodyBytes is the largest request body accepted; larger ones get 413.
	MaxBodyBytes int64 `env:"GOVSTACK_GATEWAY_MAX_BODY_BYTES" envDefault:"1048576"`
	// MaxUploadBytes is the largest multipart/form-data body accepted on a document upload (POST /documents);
	// larger ones get 413. Uploads carry files, so they get more room than JSON bodies.
	MaxUploadBytes int64 `env:"GOVSTACK_GATEWAY_MAX_UPLOAD_BYTES" envDefault:"26214400"`
	// MaxBulkBodyBytes is the largest body accepted on a bulk route (a BB's catalog.BB.BulkRoutes: a batch
	// of 10,000 payments in one request); larger ones get 413. Every other route keeps MaxBodyBytes.
	MaxBulkBodyBytes int64 `env:"GOVSTACK_GATEWAY_MAX_BULK_BODY_BYTES" envDefault:"33554432"`
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
	for _, bb := range c.BBList() {
		name, addr, ok := c.upstreamAddr(bb)
		if !ok {
			errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_BBS: unknown building block %q: must be among %s", bb, strings.Join(BBs(), ", ")))
			continue
		}
		if err := checkHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	errs = append(errs, c.IMConfig.validate(c.listenAddrs()))
	if c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_REQUEST_TIMEOUT: must be a positive duration such as 30s (got %s)", c.RequestTimeout))
	}
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_MAX_BODY_BYTES: must be a positive number of bytes such as 1048576 (got %d)", c.MaxBodyBytes))
	}
	if c.MaxUploadBytes <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_MAX_UPLOAD_BYTES: must be a positive number of bytes such as 26214400 (got %d)", c.MaxUploadBytes))
	}
	if c.MaxBulkBodyBytes <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_MAX_BULK_BODY_BYTES: must be a positive number of bytes such as 33554432 (got %d)", c.MaxBulkBodyBytes))
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

// BBList is BBs as a list: every BB of the catalog when BBs is empty.
func (c Config) BBList() []string {
	if strings.TrimSpace(c.BBs) == "" {
		return catalog.Names()
	}
	return splitList(c.BBs)
}

// FromVars reads each catalog BB's GOVSTACK_<BB>_GRPC_ADDR (config.LoadFrom calls it).
func (c *Config) FromVars(vars map[string]string) {
	c.Upstreams = map[string]string{}
	for _, b := range catalog.All {
		if v, ok := vars[b.AddrEnv()]; ok && v != "" {
			c.Upstreams[b.Name] = v
		}
	}
}

// UpstreamAddr is bb's gRPC address: as set, or its default.
func (c Config) UpstreamAddr(bb string) string {
	_, addr, _ := c.upstreamAddr(bb)
	return addr
}

// upstreamAddr returns the setting that holds bb's gRPC address and its value.
func (c Config) upstreamAddr(bb string) (setting, addr string, ok bool) {
	b, ok := catalog.Lookup(bb)
	if !ok {
		return "", "", false
	}
	if addr, set := c.Upstreams[bb]; set {
		return b.AddrEnv(), addr, true
	}
	return b.AddrEnv(), b.DefaultAddr(), true
}

// UpstreamAddrs returns the gRPC address of every building block in BBs.
func (c Config) UpstreamAddrs() map[string]string {
	out := map[string]string{}
	for _, bb := range c.BBList() {
		if _, addr, ok := c.upstreamAddr(bb); ok {
			out[bb] = addr
		}
	}
	return out
}

// GRPCListenAddr is where the IM's gRPC front door listens (GOVSTACK_GRPC_ADDR, default 127.0.0.1:9090).
func (c Config) GRPCListenAddr() string {
	if c.GRPCAddr == "" {
		return DefaultGRPCAddr
	}
	return c.GRPCAddr
}

// DefaultGRPCAddr is the IM's gRPC listener when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9090"

// listenAddrs names every listener, for the development-mode loopback check.
func (c Config) listenAddrs() map[string]string {
	out := map[string]string{"GOVSTACK_HTTP_ADDR": c.HTTPAddr, "GOVSTACK_GRPC_ADDR": c.GRPCListenAddr()}
	ls, _ := c.standalone()
	for _, l := range ls {
		out["GOVSTACK_GATEWAY_STANDALONE "+l.BB] = l.Addr
	}
	return out
}
