package delivery

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// server is a go-smtp server that records what arrived, whether the session used TLS, and (when user is set)
// requires AUTH PLAIN. It counts sessions opened and ended, RCPTs per address and deliveries per Message-ID;
// a recipient containing "bounce" gets 550. With dropAfterData set it takes the next message and then cuts
// the connection before its "250 OK": the client cannot know the message arrived.
type server struct {
	mu            sync.Mutex
	delivered     int
	overTLS       bool
	user          string
	sessions      int // opened
	ended         int // closed, by QUIT or otherwise
	conns         []*smtp.Conn
	rcpts         map[string]int
	byID          map[string]int
	dropAfterData bool
}

func (s *server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions++
	s.conns = append(s.conns, c)
	return &sess{s: s, conn: c, tls: isTLS}, nil
}

// dropAll closes every connection from the server's side, as a relay does with idle clients.
func (s *server) dropAll() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// arrived counts the deliveries of message m.
func (s *server) arrived(m domain.Message) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byID[domain.MessageIDHeader(m.ID)]
}

// tried counts the RCPTs to addr.
func (s *server) tried(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts[addr]
}

// counts returns sessions opened and ended, and deliveries.
func (s *server) counts() (opened, ended, delivered int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions, s.ended, s.delivered
}

type sess struct {
	s      *server
	conn   *smtp.Conn
	tls    bool
	authed bool
}

func (x *sess) Reset() {}
func (x *sess) Logout() error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.ended++
	return nil
}
func (x *sess) Mail(string, *smtp.MailOptions) error {
	if x.s.user != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (x *sess) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.rcpts == nil {
		x.s.rcpts = map[string]int{}
	}
	x.s.rcpts[to]++
	if strings.Contains(to, "bounce") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	return nil
}
func (x *sess) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, m.Body)
	x.s.mu.Lock()
	if x.s.byID == nil {
		x.s.byID = map[string]int{}
	}
	x.s.byID[m.Header.Get("Message-Id")]++
	x.s.delivered++
	x.s.overTLS = x.tls
	drop := x.s.dropAfterData
	x.s.dropAfterData = false
	x.s.mu.Unlock()
	if drop {
		_ = x.conn.Close()
	}
	return nil
}
func (x *sess) AuthMechanisms() []string { return []string{sasl.Plain} }
func (x *sess) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.user || pass != "secret" {
			return errors.New("bad credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func serve(t *testing.T, be *server, tlsCfg *tls.Config, implicit bool) string {
	t.Helper()
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.TLSConfig = tlsCfg
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		l = tls.NewListener(l, tlsCfg)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

func msg() domain.Message {
	return domain.Message{ID: uuid.NewString(), Recipient: "a@example.org", Subject: "s", BodyText: "b"}
}

func TestSMTPTLSModes(t *testing.T) {
	serverTLS, roots := selfSigned(t)
	clientTLS := &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	plain, withTLS, implicit := &server{}, &server{}, &server{}
	plainAddr := serve(t, plain, nil, false)
	tlsAddr := serve(t, withTLS, serverTLS, false)
	implicitAddr := serve(t, implicit, serverTLS, true)

	send := func(addr, mode string) error {
		s, err := NewSMTP(SMTPConfig{Addr: addr, From: "f@example.org", TLS: mode, Timeout: 5 * time.Second, TLSConfig: clientTLS})
		if err != nil {
			t.Fatal(err)
		}
		return s.Send(t.Context(), msg())
	}
	if err := send(plainAddr, TLSStartTLS); err != nil {
		t.Errorf("opportunistic STARTTLS against a plain server: %v", err)
	}
	if err := send(plainAddr, TLSStartTLSRequired); err == nil || domain.IsPermanent(err) {
		t.Errorf("required STARTTLS against a plain server must fail temporarily, got %v", err)
	}
	if err := send(tlsAddr, TLSStartTLSRequired); err != nil || !withTLS.overTLS {
		t.Errorf("required STARTTLS: %v (over TLS %v)", err, withTLS.overTLS)
	}
	if err := send(implicitAddr, TLSImplicit); err != nil || implicit.delivered != 1 {
		t.Errorf("implicit TLS: %v", err)
	}
	if plain.delivered != 1 {
		t.Errorf("plain server got %d", plain.delivered)
	}
}

func TestSMTPAuth(t *testing.T) {
	// go-mail offers PLAIN only inside TLS, so the relay speaks STARTTLS.
	serverTLS, roots := selfSigned(t)
	clientTLS := &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	be := &server{user: "relay"}
	addr := serve(t, be, serverTLS, false)
	good, _ := NewSMTP(SMTPConfig{Addr: addr, From: "f@example.org", TLS: TLSStartTLSRequired, Username: "relay", Password: "secret", TLSConfig: clientTLS})
	if err := good.Send(t.Context(), msg()); err != nil {
		t.Fatalf("auth: %v", err)
	}
	bad, _ := NewSMTP(SMTPConfig{Addr: addr, From: "f@example.org", TLS: TLSStartTLSRequired, Username: "relay", Password: "wrong", TLSConfig: clientTLS})
	if err := bad.Send(t.Context(), msg()); err == nil {
		t.Fatal("wrong password accepted")
	}
	if _, err := NewSMTP(SMTPConfig{Addr: "no-port"}); err == nil {
		t.Fatal("bad address accepted")
	}
}
