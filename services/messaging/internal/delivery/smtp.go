package delivery

import (
	"context"
	"crypto/tls"
	"errors"
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
}

// SMTP sends e-mail through one relay.
type SMTP struct {
	cfg  SMTPConfig
	host string
	port int
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
	return &SMTP{cfg: cfg, host: host, port: port}, nil
}

func (s *SMTP) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(s.port), mail.WithTimeout(s.cfg.Timeout)}
	tlsCfg := s.cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, mail.WithTLSConfig(tlsCfg))
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case TLSStartTLSRequired:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	return mail.NewClient(s.host, opts...)
}

// Send delivers m. The Message-ID is stable per message (see domain.MessageIDHeader) so a repeat after a
// crash can be recognised by the receiver.
func (s *SMTP) Send(ctx context.Context, m domain.Message) error {
	msg, err := s.build(m)
	if err != nil {
		return domain.Permanent(err)
	}
	c, err := s.client()
	if err != nil {
		return domain.Permanent(err)
	}
	return classifySMTP(c.DialAndSendWithContext(ctx, msg))
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

// classifySMTP: a 5xx reply (unknown user, rejected content) is a bounce; 4xx replies, network errors and
// time-outs are temporary.
func classifySMTP(err error) error {
	if err == nil {
		return nil
	}
	var se *mail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return domain.Permanent(err)
	}
	return domain.Temporary(err)
}
