package browser

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// mailbox is an SMTP server the Messaging BB delivers to over the wire; tests read the links in what
// arrived, as the person would click them.
type mailbox struct {
	mu   sync.Mutex
	mail []received
}

type received struct{ To, Subject, Body string }

func startMailbox() (*mailbox, string, func(), error) {
	mb := &mailbox{}
	srv := smtp.NewServer(backend{mb})
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	go func() { _ = srv.Serve(ln) }()
	return mb, ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// link waits for an e-mail to addr whose text has a link matching pattern, and returns the link.
func (mb *mailbox) link(t *testing.T, addr string, pattern *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		mb.mu.Lock()
		for _, m := range mb.mail {
			if strings.EqualFold(m.To, addr) {
				if l := pattern.FindString(m.Body); l != "" {
					mb.mu.Unlock()
					return l
				}
			}
		}
		all := fmt.Sprint(mb.mail)
		mb.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail to %s with a link like %s arrived; all: %s", addr, pattern, all)
		}
		time.Sleep(50 * time.Millisecond) // polling interval
	}
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
	body, err := plainText(msg)
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	for _, to := range s.to {
		s.mb.mail = append(s.mb.mail, received{To: to, Subject: subject, Body: body})
	}
	return nil
}

// plainText is the text a mail client shows: the text/plain part, transfer encoding undone.
func plainText(msg *mail.Message) (string, error) {
	mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				return "", err
			}
			if pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); pt == "text/plain" {
				b, err := io.ReadAll(part)
				return string(b), err
			}
		}
	}
	var r io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

// waitReady polls the gateway's /readyz until it answers 200.
func waitReady(gateway string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(gateway + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the gateway is not ready after 60 s (%v)", err)
		}
		time.Sleep(100 * time.Millisecond) // polling interval
	}
}
