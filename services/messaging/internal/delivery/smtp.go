package delivery

import (
	"cmp"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// TLS modes of GOVSTACK_MESSAGING_SMTP_TLS.
const (
	TLSNone             = "none"              // plain SMTP (a local relay or a test server)
	TLSStartTLS         = "starttls"          // STARTTLS when the server offers it (default)
	TLSStartTLSRequired = "starttls-required" // refuse to send without STARTTLS
	TLSImplicit         = "tls"               // implicit TLS from the first byte (port 465)
)

// TLSModes lists the valid modes.
var TLSModes = []string{TLSNone, TLSStartTLS, TLSStartTLSRequired, TLSImplicit}

// SMTPConfig configures the SMTP sender.
type SMTPConfig struct {
	Addr               string // host:port
	Username, Password string // AUTH (PLAIN/LOGIN/SCRAM, discovered) when Username is set
	From               string // default From address
	TLS                string // one of TLSModes
	Timeout            time.Duration
	TLSConfig          *tls.Config // optional, e.g. a test CA

	// Connection reuse (see conns.go). MaxPerConn bounds the messages sent over one connection (default 100;
	// 1 opens a connection per message); IdleTimeout closes a connection nobody used for that long (default
	// 30s); MaxIdle is how many open connections are kept between sends — one per dispatcher worker
	// (default 1).
	MaxPerConn  int
	IdleTimeout time.Duration
	MaxIdle     int
}

// Defaults of the connection reuse settings.
const (
	DefaultMaxPerConn  = 100
	DefaultIdleTimeout = 30 * time.Second
)

// SMTP sends e-mail through one relay, over connections it keeps open between messages.
type SMTP struct {
	cfg    SMTPConfig
	client *mail.Client // the settings every connection is dialled with; it holds no connection itself
	conns  *conns
}

// NewSMTP checks cfg and returns the sender.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	host, portText, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_MESSAGING_SMTP_ADDR: want host:port (%v)", err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("GOVSTACK_MESSAGING_SMTP_ADDR: bad port %q", portText)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	cfg.MaxPerConn = cmp.Or(max(cfg.MaxPerConn, 0), DefaultMaxPerConn)
	cfg.IdleTimeout = cmp.Or(max(cfg.IdleTimeout, 0), DefaultIdleTimeout)
	cfg.MaxIdle = max(cfg.MaxIdle, 1)
	client, err := newClient(cfg, host, port)
	if err != nil {
		return nil, err
	}
	s := &SMTP{cfg: cfg, client: client}
	s.conns = &conns{maxIdle: cfg.MaxIdle, idleTimeout: cfg.IdleTimeout, quitTimeout: min(cfg.Timeout, 5*time.Second)}
	return s, nil
}

// newClient is go-mail's client for cfg. It sends no NOOP before a message and no RSET after one: a
// connection that went stale fails on MAIL FROM instead, before anything of the message was sent, and is
// replaced (see Send); after the server's answer to the data the transaction is over, so RSET has nothing
// to reset. Each saves a round trip per message.
func newClient(cfg SMTPConfig, host string, port int) (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(port), mail.WithTimeout(cfg.Timeout), mail.WithoutNoop(), mail.WithoutRset()}
	tlsCfg := cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, mail.WithTLSConfig(tlsCfg))
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case TLSStartTLSRequired:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	c, err := mail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_MESSAGING_SMTP_*: %w", err)
	}
	return c, nil
}

func (s *SMTP) build(m domain.Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	from := m.SenderAddress
	if from == "" {
		from = s.cfg.From
	}
	if err := msg.FromFormat(m.SenderName, from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := msg.AddToFormat(m.RecipientName, m.Recipient); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	if m.CC != "" {
		if err := msg.Cc(strings.Split(m.CC, ",")...); err != nil {
			return nil, fmt.Errorf("cc: %w", err)
		}
	}
	if m.BCC != "" {
		if err := msg.Bcc(strings.Split(m.BCC, ",")...); err != nil {
			return nil, fmt.Errorf("bcc: %w", err)
		}
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
	}
	msg.SetMessageIDWithValue(strings.Trim(domain.MessageIDHeader(m.ID), "<>"))
	msg.SetDate()
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.BodyText)
	if m.BodyHTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.BodyHTML)
	}
	return msg, nil
}
