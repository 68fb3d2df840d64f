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
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// server is a go-smtp server that records what arrived, whether the session used TLS, and (when user is set)
// requires AUTH PLAIN.
type server struct {
	mu        sync.Mutex
	delivered int
	overTLS   bool
	user      string
}

func (s *server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &sess{s: s, tls: isTLS}, nil
}

type sess struct {
	s      *server
	tls    bool
	authed bool
}

func (x *sess) Reset()        {}
func (x *sess) Logout() error { return nil }
func (x *sess) Mail(string, *smtp.MailOptions) error {
	if x.s.user != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (x *sess) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (x *sess) Data(r io.Reader) error {
	_, _ = io.Copy(io.Discard, r)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.delivered++
	x.s.overTLS = x.tls
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
