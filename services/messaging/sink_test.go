package messaging_test

import (
	"bufio"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// sink is a real SMTP server (github.com/emersion/go-smtp) run in-process. It counts deliveries per
// Message-ID: a message that arrives twice has count 2. Recipients containing "bounce" get 550 (permanent),
// "tempfail" 451 while tempFail is set. When gate is set, DATA blocks after gateAfter deliveries until the
// gate is opened — the test's way to have sends in flight when it stops the dispatcher.
type sink struct {
	addr string

	mu         sync.Mutex
	byID       map[string]int
	byRcpt     map[string]int
	subjects   map[string]string // recipient → last subject
	tempFail   bool
	gate       chan struct{}
	gateAfter  int
	gateHits   int
	gateWaiter chan struct{} // closed once the gate holds a send
}

func startSink(t testing.TB) *sink {
	t.Helper()
	s := &sink{byID: map[string]int{}, byRcpt: map[string]int{}, subjects: map[string]string{}, tempFail: true}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxRecipients = 50
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() {
		s.open()
		_ = srv.Close()
	})
	return s
}

// hold makes DATA block after n more deliveries until open is called.
func (s *sink) hold(n int) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate, s.gateAfter, s.gateHits = make(chan struct{}), len(s.byID)+n, 0
	s.gateWaiter = make(chan struct{})
	return s.gateWaiter
}

func (s *sink) open() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate != nil {
		close(s.gate)
		s.gate = nil
	}
}

func (s *sink) setTempFail(v bool) {
	s.mu.Lock()
	s.tempFail = v
	s.mu.Unlock()
}

func (s *sink) counts() (distinct int, dup []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, n := range s.byID {
		if n > 1 {
			dup = append(dup, id)
		}
	}
	return len(s.byID), dup
}

func (s *sink) received(rcpt string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byRcpt[rcpt], s.subjects[rcpt]
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{sink: s}, nil }

type session struct {
	sink  *sink
	rcpts []string
}

func (x *session) Reset()                               { x.rcpts = nil }
func (x *session) Logout() error                        { return nil }
func (x *session) Mail(string, *smtp.MailOptions) error { return nil }

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.sink.mu.Lock()
	temp := x.sink.tempFail
	x.sink.mu.Unlock()
	switch {
	case strings.Contains(to, "bounce"):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	case strings.Contains(to, "tempfail") && temp:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	x.rcpts = append(x.rcpts, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(bufio.NewReader(r))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, msg.Body)
	s := x.sink
	s.mu.Lock()
	gate := s.gate
	if gate != nil && len(s.byID)+s.gateHits >= s.gateAfter {
		s.gateHits++
		if s.gateHits == 1 {
			close(s.gateWaiter)
		}
	} else {
		gate = nil
	}
	s.mu.Unlock()
	if gate != nil {
		<-gate // the "250 OK" waits: the send is in flight
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[msg.Header.Get("Message-Id")]++
	for _, rc := range x.rcpts {
		s.byRcpt[rc]++
		dec := new(mime.WordDecoder)
		subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
		s.subjects[rc] = subj
	}
	return nil
}
