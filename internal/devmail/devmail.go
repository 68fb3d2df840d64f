// Package devmail is the development stack's mailbox: an SMTP server that keeps what the stack sends in
// memory, and a page that shows it. `govstack dev` points Messaging at it when no SMTP server is configured,
// so a newcomer can open an activation link without installing a mail catcher; the end-to-end and browser
// tests read the e-mails the BBs send from it too. It accepts mail for anyone and delivers none onwards.
package devmail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one e-mail to one recipient, as they would read it.
type Message struct {
	ID        int // 1, 2, … in the order of arrival
	To        string
	From      string
	Subject   string
	MessageID string
	Body      string // the text/plain part, transfer encoding undone
	Received  time.Time
}

// Limits of a development mailbox: what it keeps and what one message may be.
const (
	DefaultKeep     = 500
	maxMessageBytes = 4 << 20
)

// Mailbox is a running SMTP server and the messages it received, the newest Keep of them.
type Mailbox struct {
	mu   sync.Mutex
	msgs []Message
	next int
	keep int
	srv  *smtp.Server
	ln   net.Listener
}

// Start serves SMTP on addr (e.g. "127.0.0.1:0") and keeps the newest keep messages (DefaultKeep when 0).
func Start(addr string, keep int) (*Mailbox, error) {
	if keep <= 0 {
		keep = DefaultKeep
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	m := &Mailbox{keep: keep, ln: ln}
	m.srv = smtp.NewServer(backend{m})
	m.srv.Domain, m.srv.AllowInsecureAuth = "localhost", true
	m.srv.ReadTimeout, m.srv.WriteTimeout = 30*time.Second, 30*time.Second
	m.srv.MaxMessageBytes, m.srv.MaxRecipients = maxMessageBytes, 100
	go func() { _ = m.srv.Serve(ln) }()
	return m, nil
}

// Addr is where the SMTP server listens (host:port).
func (m *Mailbox) Addr() string { return m.ln.Addr().String() }

// Close stops the SMTP server; the messages stay readable.
func (m *Mailbox) Close() error { return m.srv.Close() }

// Messages returns the kept messages, oldest first.
func (m *Mailbox) Messages() []Message {
	return m.Find(func(Message) bool { return true })
}

// Find returns the kept messages match accepts, oldest first.
func (m *Mailbox) Find(match func(Message) bool) []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Message
	for _, msg := range m.msgs {
		if match(msg) {
			out = append(out, msg)
		}
	}
	return out
}

func (m *Mailbox) add(msg Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	msg.ID = m.next
	m.msgs = append(m.msgs, msg)
	if over := len(m.msgs) - m.keep; over > 0 {
		m.msgs = append([]Message(nil), m.msgs[over:]...)
	}
}

type backend struct{ m *Mailbox }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{m: b.m}, nil }

// session is one SMTP conversation: any sender, any recipient, any credentials.
type session struct {
	m    *Mailbox
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string                    { return nil }
func (s *session) Auth(string) (smtp.Session, error)           { return s, nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, err := readableBody(msg)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	now := time.Now()
	for _, to := range s.to {
		s.m.add(Message{To: to, From: s.from, Subject: subject, MessageID: msg.Header.Get("Message-Id"), Body: body, Received: now})
	}
	return nil
}

// readableBody is the message text a mail client would show: quoted-printable (what Messaging sends: it
// wraps long lines, such as links, with soft breaks and writes "=" as "=3D") and base64 decoded, and of a
// multipart message its text/plain part.
func readableBody(msg *mail.Message) (string, error) {
	mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			part, err := mr.NextPart() // decodes a quoted-printable part itself
			if err != nil {
				return "", err
			}
			if pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); pt == "text/plain" {
				b, err := io.ReadAll(decoded(part.Header.Get("Content-Transfer-Encoding"), part))
				return string(b), err
			}
		}
	}
	b, err := io.ReadAll(decoded(msg.Header.Get("Content-Transfer-Encoding"), msg.Body))
	return string(b), err
}

func decoded(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}
