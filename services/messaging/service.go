package messaging

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"google.golang.org/grpc"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/api"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/delivery"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/events"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
)

// New wires the BB on deps. The database must be migrated (see Migrations).
func New(cfg Config, deps Deps) (*Service, error) {
	if deps.Pool == nil {
		return nil, errors.New("messaging: Deps.Pool is required")
	}
	if deps.JetStream == nil {
		return nil, errors.New("messaging: Deps.JetStream is required (events are published through NATS JetStream)")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	deps.Logger = deps.Logger.With("bb", Name)
	keys, err := app.ParseKeys(cfg.APIKeys, cfg.minKeyLen())
	if err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg)
	senders, smtp, err := buildSenders(cfg, deps.Senders)
	if err != nil {
		return nil, err
	}
	st := store.New(deps.Pool)
	a := app.New(app.Ports{Store: st, Senders: senders, Reports: delivery.NewHTTPReports(10 * time.Second)},
		app.Limits{MaxBatch: cfg.MaxBatch, MaxSubjectBytes: cfg.MaxSubjectBytes, MaxBodyBytes: cfg.MaxBodyBytes,
			MaxSMSChars: cfg.MaxSMSChars, RecipientPerHour: cfg.RecipientPerHour, EmailPerSecond: cfg.EmailPerSecond,
			SMSPerSecond: cfg.SMSPerSecond},
		app.DispatchOptions{Workers: cfg.Workers, ClaimBatch: cfg.Workers * 8, Lease: cfg.Lease,
			PollInterval: cfg.PollInterval, SendTimeout: cfg.SMTPTimeout,
			Retry: domain.RetryPolicy{MaxAttempts: cfg.MaxAttempts, Base: cfg.RetryBase, Max: cfg.RetryMax}},
		deps.Logger)
	return &Service{cfg: cfg, deps: deps, keys: keys, verifier: usertoken.VerifierFor(deps.TokenKeys, cfg.JWKSURL, cfg.TokenIssuer), store: st, app: a,
		smtp: smtp}, nil
}

// withDefaults fills zero values (a Config built in code rather than loaded from the environment).
func withDefaults(c Config) Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.SMTPAddr == "" {
		c.SMTPAddr = "127.0.0.1:25"
	}
	if c.SMTPTLS == "" {
		c.SMTPTLS = delivery.TLSStartTLS
	}
	def(&c.MaxBatch, 1000)
	def(&c.MaxSubjectBytes, 998)
	def(&c.MaxBodyBytes, 1<<20)
	def(&c.MaxSMSChars, 1600)
	def(&c.Workers, 8)
	def(&c.MaxAttempts, 8)
	durDef := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	durDef(&c.RetryBase, 5*time.Second)
	durDef(&c.RetryMax, time.Hour)
	durDef(&c.Lease, 10*time.Second)
	durDef(&c.PollInterval, time.Second)
	durDef(&c.SMTPTimeout, 30*time.Second)
	def(&c.SMTPMessagesPerConn, delivery.DefaultMaxPerConn)
	durDef(&c.SMTPIdleTimeout, delivery.DefaultIdleTimeout)
	return c
}

// buildSenders returns the senders of both channels: those given, else the SMTP sender (returned too, so
// that Run can close its connections) and the HTTP SMS provider built from cfg.
func buildSenders(cfg Config, given map[string]Sender) (map[domain.Channel]app.Sender, *delivery.SMTP, error) {
	out := map[domain.Channel]app.Sender{}
	var smtp *delivery.SMTP
	if s, ok := given["email"]; ok {
		out[domain.Email] = s
	} else {
		var err error
		smtp, err = delivery.NewSMTP(delivery.SMTPConfig{Addr: cfg.SMTPAddr, Username: cfg.SMTPUsername,
			Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS, Timeout: cfg.SMTPTimeout,
			MaxPerConn: cfg.SMTPMessagesPerConn, IdleTimeout: cfg.SMTPIdleTimeout, MaxIdle: cfg.Workers})
		if err != nil {
			return nil, nil, err
		}
		out[domain.Email] = smtp
	}
	if s, ok := given["sms"]; ok {
		out[domain.SMS] = s
	} else {
		out[domain.SMS] = delivery.NewHTTPSMS(cfg.SMSProviderURL, cfg.SMSProviderToken, cfg.SMSFrom, 15*time.Second)
	}
	return out, smtp, nil
}

// NewSMTPSender returns the SMTP sender for cfg's GOVSTACK_MESSAGING_SMTP_* settings with a custom From.
func NewSMTPSender(addr, from, tlsMode string, timeout time.Duration) (Sender, error) {
	return delivery.NewSMTP(delivery.SMTPConfig{Addr: addr, From: from, TLS: tlsMode, Timeout: timeout})
}

// Register registers MessagingService and OperatorService on g.
func (s *Service) Register(g *grpc.Server) {
	messagingv1.RegisterMessagingServiceServer(g, api.NewMessaging(s.app))
	messagingv1.RegisterOperatorServiceServer(g, api.NewOperator(s.app))
}

// UnaryInterceptors converts errors to statuses, checks the apiKey (metadata "apikey") on every Messaging
// call — first, before anything about the request is looked at — and then the user token of the calls that
// show personal data.
func (s *Service) UnaryInterceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{
		grpcerr.UnaryServerInterceptor(Name, s.deps.Logger),
		api.AuthInterceptor(s.keys),
		api.TokenInterceptor(s.verifier),
	}
}

// Run does the background work until ctx is done: the dispatcher, the delivery-callback sender, one inbox
// consumer per stream that notification rules listen to, and the outbox relay. Rules are read at start:
// a new rule takes effect at the next start.
func (s *Service) Run(ctx context.Context) error {
	consumer := events.NewConsumer(s.app, s.store.Within, s.deps.Logger)
	consume := func(ctx context.Context) error {
		subs, err := consumer.Subscriptions(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		return consumer.Run(ctx, s.deps.JetStream, s.deps.Pool, subs)
	}
	err := outbox.RunWithRelay(ctx, s.deps.Pool, s.deps.JetStream, Name, s.deps.Logger, s.app.Dispatch, s.app.Callbacks, consume)
	if s.smtp != nil {
		_ = s.smtp.Close() // the dispatcher has stopped: no send is using them
	}
	return err
}
