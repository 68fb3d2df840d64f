package e2e

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
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server run by the test (go-smtp): the Messaging BB delivers to it over the wire,
// and the tests read what arrived.
type mailbox struct {
	mu   sync.Mutex
	mail []received
}

type received struct {
	To, Subject, MessageID string
	Body                   string // the text as the recipient reads it: transfer encoding undone, text/plain part
}

func startMailbox(t *testing.T) (*mailbox, string) {
	t.Helper()
	mb := &mailbox{}
	srv := smtp.NewServer(backend{mb})
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return mb, ln.Addr().String()
}

// waitFor polls until match finds n messages (or more), and returns the matching ones.
func (mb *mailbox) waitFor(t *testing.T, n int, match func(received) bool) []received {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := mb.find(match)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d matching e-mails arrived, want %d; all: %+v", len(got), n, mb.find(func(received) bool { return true }))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (mb *mailbox) find(match func(received) bool) []received {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	var out []received
	for _, m := range mb.mail {
		if match(m) {
			out = append(out, m)
		}
	}
	return out
}

func to(addr, subjectPrefix string) func(received) bool {
	return func(m received) bool { return m.To == addr && strings.HasPrefix(m.Subject, subjectPrefix) }
}

type backend struct{ mb *mailbox }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{mb: b.mb}, nil }

type session struct {
	mb *mailbox
	to []string
}

func (s *session) AuthMechanisms() []string                  { return nil }
func (s *session) Auth(string) (smtp.Session, error)         { return s, nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *session) Reset()                                    { s.to = nil }
func (s *session) Logout() error                             { return nil }

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
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	for _, to := range s.to {
		s.mb.mail = append(s.mb.mail, received{To: to, Subject: subject, Body: string(body), MessageID: msg.Header.Get("Message-Id")})
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
