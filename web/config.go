package portal

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/imident"
)

// Config is what the portal reads from the environment. Each field's help tag is its line in `portal -h`,
// so the help cannot drift from what the binary reads.
type Config struct {
	Addr       string `env:"GOVSTACK_PORTAL_ADDR" envDefault:"127.0.0.1:8081" help:"where the portal listens (host:port)"`
	GatewayURL string `env:"GOVSTACK_PORTAL_GATEWAY_URL" envDefault:"http://127.0.0.1:8080" help:"the gateway (IM) REST base URL: the only API the portal calls"`
	IMClient   string `env:"GOVSTACK_PORTAL_IM_CLIENT" envDefault:"GOVSTACK/GOV/GOVSTACK/portal" help:"the portal's IM client identity INSTANCE/CLASS/MEMBER/SUBSYSTEM"`
	IMAPIKey   string `env:"GOVSTACK_PORTAL_IM_API_KEY" help:"the portal's IM API key (gateway issue-key); not needed when the gateway is in development mode"`
	// SessionSecret keys the HMACs of session cookies and CSRF tokens. Sessions live in this process's memory,
	// so a new secret only signs out those already signed out by the restart.
	SessionSecret string        `env:"GOVSTACK_PORTAL_SESSION_SECRET" help:"at least 32 characters keying the session cookie and CSRF token HMACs (required by serve)"`
	SessionIdle   time.Duration `env:"GOVSTACK_PORTAL_SESSION_IDLE" envDefault:"30m" help:"a session unused this long ends (the person signs in again)"`
	SessionMax    time.Duration `env:"GOVSTACK_PORTAL_SESSION_MAX" envDefault:"12h" help:"a session ends this long after it began, used or not"`
	MaxSessions   int           `env:"GOVSTACK_PORTAL_MAX_SESSIONS" envDefault:"100000" help:"sessions kept in memory at most; the least recently used ends first"`
	PublicURL     string        `env:"GOVSTACK_PORTAL_PUBLIC_URL" help:"the URL people open, e.g. https://portal.example.gov; https makes the session cookie Secure behind a TLS proxy"`
	TLSCertFile   string        `env:"GOVSTACK_PORTAL_TLS_CERT_FILE" help:"serve HTTPS with this certificate (PEM; with the key file); cookies are then Secure"`
	TLSKeyFile    string        `env:"GOVSTACK_PORTAL_TLS_KEY_FILE" help:"the certificate's private key (PEM)"`
	APITimeout    time.Duration `env:"GOVSTACK_PORTAL_API_TIMEOUT" envDefault:"15s" help:"how long a page waits for the gateway before it says the service is unavailable"`
	LogLevel      string        `env:"GOVSTACK_LOG_LEVEL" envDefault:"info" help:"debug, info, warn or error"`
	// ShutdownTimeout bounds how long requests in flight may finish once SIGTERM arrives.
	ShutdownTimeout time.Duration `env:"GOVSTACK_SHUTDOWN_TIMEOUT" envDefault:"15s" help:"how long serve lets requests in flight finish on SIGTERM"`
}

// MinSecretLength is the shortest GOVSTACK_PORTAL_SESSION_SECRET serve accepts: 32 characters carry
// enough entropy for an HMAC key when they are random.
const MinSecretLength = 32

// Validate reports every bad setting at once. The session secret is checked by ValidateSecret, which serve
// calls: govstack dev makes a random one itself.
func (c Config) Validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("GOVSTACK_PORTAL_ADDR: must be host:port, e.g. 127.0.0.1:8081 (got %q)", c.Addr))
	}
	if u, err := url.Parse(c.GatewayURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("GOVSTACK_PORTAL_GATEWAY_URL: must be an http(s) URL such as http://gateway:8080 (got %q)", c.GatewayURL))
	}
	if _, err := imident.Parse(c.IMClient); err != nil {
		errs = append(errs, fmt.Errorf("GOVSTACK_PORTAL_IM_CLIENT: %w", err))
	}
	if u, err := url.Parse(c.PublicURL); c.PublicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("GOVSTACK_PORTAL_PUBLIC_URL: must be an http(s) URL such as https://portal.example.gov (got %q)", c.PublicURL))
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("GOVSTACK_PORTAL_TLS_CERT_FILE and GOVSTACK_PORTAL_TLS_KEY_FILE: set both or neither"))
	}
	for name, d := range map[string]time.Duration{"GOVSTACK_PORTAL_SESSION_IDLE": c.SessionIdle,
		"GOVSTACK_PORTAL_SESSION_MAX": c.SessionMax, "GOVSTACK_PORTAL_API_TIMEOUT": c.APITimeout,
		"GOVSTACK_SHUTDOWN_TIMEOUT": c.ShutdownTimeout} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s: must be a positive duration such as 30m (got %s)", name, d))
		}
	}
	if c.MaxSessions < 1 {
		errs = append(errs, fmt.Errorf("GOVSTACK_PORTAL_MAX_SESSIONS: must be at least 1 (got %d)", c.MaxSessions))
	}
	if !slices.Contains(config.LogLevels, c.LogLevel) {
		errs = append(errs, fmt.Errorf("GOVSTACK_LOG_LEVEL: must be one of %s (got %q)", strings.Join(config.LogLevels, ", "), c.LogLevel))
	}
	return errors.Join(errs...)
}

// ValidateSecret checks GOVSTACK_PORTAL_SESSION_SECRET, which serve requires.
func (c Config) ValidateSecret() error {
	if len(c.SessionSecret) < MinSecretLength {
		return fmt.Errorf("GOVSTACK_PORTAL_SESSION_SECRET: must be at least %d characters (got %d); e.g. openssl rand -base64 48",
			MinSecretLength, len(c.SessionSecret))
	}
	return nil
}

// SecureCookies reports whether the session cookie gets the Secure attribute: the portal serves TLS itself,
// or people reach it over https through a proxy.
func (c Config) SecureCookies() bool {
	return c.TLSCertFile != "" || strings.HasPrefix(c.PublicURL, "https://")
}

// Settings lists every variable Config reads with its help text and default, one per line of `portal -h`.
func Settings() []Setting {
	var out []Setting
	for f := range reflect.TypeFor[Config]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
		if name != "" {
			out = append(out, Setting{Name: name, Default: f.Tag.Get("envDefault"), Help: f.Tag.Get("help")})
		}
	}
	return out
}

// Setting is one variable of Config.
type Setting struct{ Name, Default, Help string }

// LoadConfig reads Config from vars (the environment, as os.Environ gives it, in a map) and validates it.
func LoadConfig(vars map[string]string) (Config, error) { return config.LoadFrom[Config](vars) }
