package gateway

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
)

// IMConfig is the Information Mediator's part of the gateway's settings: who may call, how they prove it,
// how fast, and over which transport.
type IMConfig struct {
	// DevMode is for a developer's machine and the GovStack test suites: X-GovStack-Client is trusted without
	// a credential, anonymous callers reach the BBs (which apply GovStack's own header rules), and every
	// client is granted every BB service. It is refused unless every listener is on loopback, and the
	// gateway says so loudly when it starts.
	DevMode bool `env:"GOVSTACK_GATEWAY_DEV_MODE" envDefault:"false"`
	// AdminClients are given the admin role at start-up ("INSTANCE/CLASS/MEMBER/SUBSYSTEM,..."): they may use
	// the configuration API. More admins can be added through it.
	AdminClients string `env:"GOVSTACK_GATEWAY_ADMIN_CLIENTS"`
	// PortalClients may act for a signed-in person ("INSTANCE/CLASS/MEMBER/SUBSYSTEM,..."): such a client
	// sending a Registration access token with the role admin may use the IM's administration APIs for that
	// request (ADR 0016). The portal's own credential administers nothing.
	PortalClients string `env:"GOVSTACK_GATEWAY_PORTAL_CLIENTS"`
	// ProviderMember is the member that provides the BBs' services: the provider of BB <bb> is the
	// subsystem <ProviderMember>/<bb>, and its service code is <bb>.
	ProviderMember string `env:"GOVSTACK_GATEWAY_PROVIDER_MEMBER" envDefault:"GOVSTACK/GOV/GOVSTACK"`
	// RateLimit is the average number of requests per second one client may make (0 turns limits off);
	// RateBurst how many it may make at once.
	RateLimit float64 `env:"GOVSTACK_GATEWAY_RATE_LIMIT" envDefault:"50"`
	RateBurst int     `env:"GOVSTACK_GATEWAY_RATE_BURST" envDefault:"100"`
	// AuthFailureLimit is how many failed authentications per second one source address may make on average
	// (a wrong API key, an unregistered certificate); AuthFailureBurst how many at once. Beyond them the
	// address is answered 429 before its credential is looked up. 0 turns the limit off.
	AuthFailureLimit float64 `env:"GOVSTACK_GATEWAY_AUTH_FAILURE_LIMIT" envDefault:"1"`
	AuthFailureBurst int     `env:"GOVSTACK_GATEWAY_AUTH_FAILURE_BURST" envDefault:"20"`

	// TLS on the gateway's listeners (REST and gRPC): on when a certificate and key are given.
	TLSCertFile string `env:"GOVSTACK_GATEWAY_TLS_CERT_FILE"`
	TLSKeyFile  string `env:"GOVSTACK_GATEWAY_TLS_KEY_FILE"`
	// TLSClientCAFile turns on client certificates (mTLS) signed by these CAs; a certificate is a credential
	// once its fingerprint is registered for a client.
	TLSClientCAFile string `env:"GOVSTACK_GATEWAY_TLS_CLIENT_CA_FILE"`
	// TLSMinVersion is "1.3" (default) or "1.2".
	TLSMinVersion string `env:"GOVSTACK_GATEWAY_TLS_MIN_VERSION" envDefault:"1.3"`

	// LogKeyFile holds the Ed25519 key that signs the message log; created on first start when missing.
	// Empty means <GOVSTACK_DATA_DIR>/gateway/message-log.key.
	LogKeyFile string `env:"GOVSTACK_GATEWAY_LOG_KEY_FILE"`
	// AssertionKeyFile holds the Ed25519 key the IM signs its per-call assertions to the BBs with
	// (platform/imassert); created on first start when missing, published at /.well-known/govstack-im-keys.json.
	// Replicas must share it. Empty means <GOVSTACK_DATA_DIR>/gateway/im-assertion.key.
	AssertionKeyFile string `env:"GOVSTACK_GATEWAY_ASSERTION_KEY_FILE"`
	// LogVerifyKeys are more public key files (PEM) verify-log trusts, comma-separated: the keys of other
	// replicas that keep their own, and keys whose keyring is elsewhere. The keyring next to LogKeyFile is
	// read anyway.
	LogVerifyKeys string `env:"GOVSTACK_GATEWAY_LOG_VERIFY_KEYS"`
	// LogBodies keeps request and response bodies in the message log (off by default: they hold personal data).
	LogBodies bool `env:"GOVSTACK_GATEWAY_LOG_BODIES" envDefault:"false"`
	// LogRetention is how long message-log records are kept (negative: for ever).
	LogRetention time.Duration `env:"GOVSTACK_GATEWAY_LOG_RETENTION" envDefault:"2160h"`
	// LogQueueSize bounds the records waiting for the message-log writer; beyond it records are dropped
	// (counted, and reported by verify-log) rather than slowing requests down.
	LogQueueSize int `env:"GOVSTACK_GATEWAY_LOG_QUEUE_SIZE" envDefault:"4096"`
	// LogCheckpointInterval is how often a moving chain head is anchored in JetStream (checkpoints show a cut
	// tail to verify-log); the writer also anchors its last record when it stops. Shorter leaves less of the
	// tail unanchored after a crash, at one small JetStream message per interval per replica.
	LogCheckpointInterval time.Duration `env:"GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL" envDefault:"10s"`
}

func (c IMConfig) validate(listeners map[string]string) error {
	var errs []error
	if c.DevMode {
		for name, addr := range listeners {
			if !loopback(addr) {
				errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_DEV_MODE is for development on loopback listeners only, "+
					"but %s=%s listens beyond this machine: bind it to 127.0.0.1 or authenticate clients (API keys, client certificates)", name, addr))
			}
		}
	}
	for _, s := range splitList(c.AdminClients) {
		if _, err := imident.Parse(s); err != nil {
			errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_ADMIN_CLIENTS: %w", err))
		}
	}
	for _, s := range splitList(c.PortalClients) {
		if _, err := imident.Parse(s); err != nil {
			errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_PORTAL_CLIENTS: %w", err))
		}
	}
	if parts := strings.Split(c.ProviderMember, "/"); len(parts) != 3 || slicesHasEmpty(parts) {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_PROVIDER_MEMBER: must be INSTANCE/CLASS/MEMBER, e.g. GOVSTACK/GOV/GOVSTACK (got %q)", c.ProviderMember))
	}
	if c.AuthFailureLimit < 0 || c.AuthFailureBurst < 1 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_AUTH_FAILURE_LIMIT must be >= 0 and GOVSTACK_GATEWAY_AUTH_FAILURE_BURST >= 1 (got %g and %d)", c.AuthFailureLimit, c.AuthFailureBurst))
	}
	if c.RateLimit < 0 || c.RateBurst < 1 {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_RATE_LIMIT must be >= 0 and GOVSTACK_GATEWAY_RATE_BURST >= 1 (got %g and %d)", c.RateLimit, c.RateBurst))
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("GOVSTACK_GATEWAY_TLS_CERT_FILE and GOVSTACK_GATEWAY_TLS_KEY_FILE go together: set both or neither"))
	}
	if c.TLSClientCAFile != "" && c.TLSCertFile == "" {
		errs = append(errs, errors.New("GOVSTACK_GATEWAY_TLS_CLIENT_CA_FILE needs TLS on: set GOVSTACK_GATEWAY_TLS_CERT_FILE and _KEY_FILE"))
	}
	if c.LogCheckpointInterval < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL: must be a duration of at least 100ms, such as 10s (got %s)", c.LogCheckpointInterval))
	}
	if _, ok := tlsVersions[c.TLSMinVersion]; !ok {
		errs = append(errs, fmt.Errorf("GOVSTACK_GATEWAY_TLS_MIN_VERSION: must be 1.2 or 1.3 (got %q)", c.TLSMinVersion))
	}
	return errors.Join(errs...)
}

// Provider returns the subsystem that provides building block bb's service.
func (c IMConfig) Provider(bb string) imident.Client {
	parts := strings.SplitN(c.ProviderMember, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return imident.Client{Instance: parts[0], Class: parts[1], Member: parts[2], Subsystem: bb}
}

// Admins returns AdminClients parsed; Validate has checked them.
func (c IMConfig) Admins() []imident.Client { return parseClients(c.AdminClients) }

// Portals returns PortalClients parsed; Validate has checked them.
func (c IMConfig) Portals() []imident.Client { return parseClients(c.PortalClients) }

func parseClients(list string) []imident.Client {
	var out []imident.Client
	for _, s := range splitList(list) {
		if cl, err := imident.Parse(s); err == nil {
			out = append(out, cl)
		}
	}
	return out
}

var tlsVersions = map[string]uint16{"1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}

// TLS returns the listeners' TLS configuration, or nil when TLS is off.
func (c IMConfig) TLS() (*tls.Config, error) {
	if c.TLSCertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_GATEWAY_TLS_CERT_FILE/_KEY_FILE: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tlsVersions[c.TLSMinVersion]}
	if c.TLSClientCAFile != "" {
		pem, err := os.ReadFile(c.TLSClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("GOVSTACK_GATEWAY_TLS_CLIENT_CA_FILE: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("GOVSTACK_GATEWAY_TLS_CLIENT_CA_FILE: no PEM certificate in %s", c.TLSClientCAFile)
		}
		// Verify a certificate when one is sent, but let callers without one reach the public endpoints
		// (health, docs, listClients) and authenticate with an API key instead.
		tc.ClientCAs, tc.ClientAuth = pool, tls.VerifyClientCertIfGiven
	}
	return tc, nil
}

// loopback reports whether addr listens on this machine only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func slicesHasEmpty(ss []string) bool {
	for _, s := range ss {
		if strings.TrimSpace(s) == "" {
			return true
		}
	}
	return false
}

// AssertionKeyPath is where the assertion signing key is: GOVSTACK_GATEWAY_ASSERTION_KEY_FILE, or
// <GOVSTACK_DATA_DIR>/gateway/im-assertion.key.
func (c Config) AssertionKeyPath() string {
	if c.AssertionKeyFile != "" {
		return c.AssertionKeyFile
	}
	return filepath.Join(c.DataDir, "gateway", "im-assertion.key")
}

// MessageLogKeyFile is where the message log's signing key is: GOVSTACK_GATEWAY_LOG_KEY_FILE, or
// <GOVSTACK_DATA_DIR>/gateway/message-log.key.
func (c Config) MessageLogKeyFile() string {
	if c.LogKeyFile != "" {
		return c.LogKeyFile
	}
	return filepath.Join(c.DataDir, "gateway", "message-log.key")
}
