// Package messaging is the GovStack Messaging building block: e-mail (SMTP) and SMS (an HTTP provider)
// delivery that never loses an accepted message, with templates, event-triggered notifications, opt-outs and
// limits. It is used by cmd/messaging (this BB alone) and by the all-in-one govstack binary.
package messaging

import (
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/govstackbb/marketplace/services/messaging/internal/api"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/delivery"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
	"github.com/govstackbb/marketplace/services/messaging/migrations"
)

// Name is the building block's name: its database is govstack_messaging, its stream GOVSTACK_MESSAGING.
const Name = "messaging"

// DefaultGRPCAddr is where `messaging serve` listens when GOVSTACK_GRPC_ADDR is not set.
const DefaultGRPCAddr = "127.0.0.1:9094"

// APIKeyMetadata is the gRPC metadata key the apiKey is read from (the gateway maps the apiKey and api_key
// headers to it); RequestUIDMetadata is the optional requestUid header's key.
const (
	APIKeyMetadata     = api.APIKeyMetadata
	RequestUIDMetadata = api.RequestUIDMetadata
)

// Config is the BB's settings, read with config.Load[messaging.Config]().
type Config struct {
	config.Common
	APIKeys string `env:"GOVSTACK_MESSAGING_API_KEYS"` // name=key,name2=key2 (keys of 16+ characters, any in development mode)
	// DevMode accepts API keys of any length, for a developer's machine (govstack dev sets it with the
	// gateway's development mode). Production keeps the 16-character minimum.
	DevMode bool `env:"GOVSTACK_MESSAGING_DEV_MODE" envDefault:"false"`
	// JWKSURL is where the Registration BB's public token keys are published, normally the gateway's
	// http://<gateway>/.well-known/jwks.json. The operator endpoints that show personal data (dead letters,
	// opt-outs) accept a staff or admin token verified with them; without it (and without Deps.TokenKeys)
	// only an IM client with the personal-data right reaches them, and a token sent there is refused.
	JWKSURL string `env:"GOVSTACK_JWKS_URL"`
	// TokenIssuer is the iss a user token must carry (empty accepts any).
	TokenIssuer string `env:"GOVSTACK_TOKEN_ISSUER" envDefault:"govstack-registration"`

	SMTPAddr     string        `env:"GOVSTACK_MESSAGING_SMTP_ADDR" envDefault:"127.0.0.1:25"`
	SMTPUsername string        `env:"GOVSTACK_MESSAGING_SMTP_USERNAME"`
	SMTPPassword string        `env:"GOVSTACK_MESSAGING_SMTP_PASSWORD"`
	SMTPFrom     string        `env:"GOVSTACK_MESSAGING_SMTP_FROM" envDefault:"no-reply@localhost"`
	SMTPTLS      string        `env:"GOVSTACK_MESSAGING_SMTP_TLS" envDefault:"starttls"` // none|starttls|starttls-required|tls
	SMTPTimeout  time.Duration `env:"GOVSTACK_MESSAGING_SMTP_TIMEOUT" envDefault:"30s"`
	// Each dispatcher worker keeps its SMTP connection open between messages: for at most
	// SMTPMessagesPerConn messages (1: a connection per message), and until it has been idle for
	// SMTPIdleTimeout.
	SMTPMessagesPerConn int           `env:"GOVSTACK_MESSAGING_SMTP_MESSAGES_PER_CONN" envDefault:"100"`
	SMTPIdleTimeout     time.Duration `env:"GOVSTACK_MESSAGING_SMTP_IDLE_TIMEOUT" envDefault:"30s"`

	SMSProviderURL   string `env:"GOVSTACK_MESSAGING_SMS_PROVIDER_URL"`
	SMSProviderToken string `env:"GOVSTACK_MESSAGING_SMS_PROVIDER_TOKEN"`
	SMSFrom          string `env:"GOVSTACK_MESSAGING_SMS_FROM"`

	MaxBatch         int     `env:"GOVSTACK_MESSAGING_MAX_BATCH" envDefault:"1000"`
	MaxSubjectBytes  int     `env:"GOVSTACK_MESSAGING_MAX_SUBJECT_BYTES" envDefault:"998"`
	MaxBodyBytes     int     `env:"GOVSTACK_MESSAGING_MAX_BODY_BYTES" envDefault:"1048576"`
	MaxSMSChars      int     `env:"GOVSTACK_MESSAGING_MAX_SMS_CHARS" envDefault:"1600"`
	RecipientPerHour int     `env:"GOVSTACK_MESSAGING_RECIPIENT_PER_HOUR" envDefault:"100"`
	EmailPerSecond   float64 `env:"GOVSTACK_MESSAGING_EMAIL_PER_SECOND" envDefault:"100"`
	SMSPerSecond     float64 `env:"GOVSTACK_MESSAGING_SMS_PER_SECOND" envDefault:"10"`

	Workers      int           `env:"GOVSTACK_MESSAGING_WORKERS" envDefault:"8"`
	MaxAttempts  int           `env:"GOVSTACK_MESSAGING_MAX_ATTEMPTS" envDefault:"8"`
	RetryBase    time.Duration `env:"GOVSTACK_MESSAGING_RETRY_BASE" envDefault:"5s"`
	RetryMax     time.Duration `env:"GOVSTACK_MESSAGING_RETRY_MAX" envDefault:"1h"`
	Lease        time.Duration `env:"GOVSTACK_MESSAGING_LEASE" envDefault:"10s"`
	PollInterval time.Duration `env:"GOVSTACK_MESSAGING_POLL_INTERVAL" envDefault:"1s"`
}

// Validate checks the settings config.Load cannot.
func (c Config) Validate() error {
	var errs []error
	if !slices.Contains(delivery.TLSModes, c.SMTPTLS) {
		errs = append(errs, errors.New("GOVSTACK_MESSAGING_SMTP_TLS: must be one of none, starttls, starttls-required, tls (got "+c.SMTPTLS+")"))
	}
	if _, err := app.ParseKeys(c.APIKeys, c.minKeyLen()); err != nil {
		errs = append(errs, err)
	}
	if c.MaxBatch <= 0 || c.Workers <= 0 || c.MaxAttempts <= 0 || c.Lease <= 0 || c.PollInterval <= 0 {
		errs = append(errs, errors.New("GOVSTACK_MESSAGING_MAX_BATCH, _WORKERS, _MAX_ATTEMPTS, _LEASE and _POLL_INTERVAL must be positive"))
	}
	if c.SMTPMessagesPerConn <= 0 || c.SMTPIdleTimeout <= 0 {
		errs = append(errs, errors.New("GOVSTACK_MESSAGING_SMTP_MESSAGES_PER_CONN and _SMTP_IDLE_TIMEOUT must be positive"))
	}
	return errors.Join(errs...)
}

// minKeyLen is the shortest API key this configuration accepts.
func (c Config) minKeyLen() int {
	if c.DevMode {
		return 1
	}
	return app.MinKeyLen
}

// Deps are the connections the BB runs on; the caller owns and closes them. Senders, when set, replace the
// SMTP and SMS senders built from Config (tests, or another provider).
type Deps struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger
	Senders   map[string]Sender // "email", "sms"
	// TokenKeys, when set, is where the user tokens' public keys come from instead of Config.JWKSURL (tests,
	// the all-in-one binary).
	TokenKeys usertoken.KeySource
}

// Sender delivers one message; see internal/delivery for the SMTP and HTTP SMS implementations.
type Sender = app.Sender

// Migrations returns the schema of this BB's database: its own tables, the outbox and the inbox.
func Migrations() []pgstore.MigrationSet {
	return []pgstore.MigrationSet{
		{Name: Name, FS: migrations.FS, Dir: "."},
		outbox.Migrations,
		inbox.Migrations,
	}
}

// Service is the running BB: gRPC handlers plus the dispatcher, the callback sender, the event consumers and
// the outbox relay.
type Service struct {
	cfg      Config
	deps     Deps
	keys     app.Keys
	verifier *usertoken.Verifier // nil: user tokens cannot be verified
	store    *store.Store
	app      *app.Service
	smtp     *delivery.SMTP // nil when Deps.Senders replaced it; its idle connections close when Run ends
}
