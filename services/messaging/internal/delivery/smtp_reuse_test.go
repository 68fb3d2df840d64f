package delivery

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// reuseSender is a plain-SMTP sender to addr with the given bound and idle time-out; its idle connections
// are closed when the test ends.
func reuseSender(t *testing.T, addr string, perConn int, idle time.Duration, maxIdle int) *SMTP {
	t.Helper()
	s, err := NewSMTP(SMTPConfig{Addr: addr, From: "f@example.org", TLS: TLSNone, Timeout: 5 * time.Second,
		MaxPerConn: perConn, IdleTimeout: idle, MaxIdle: maxIdle})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func sendAll(t *testing.T, s *SMTP, n int) {
	t.Helper()
	for i := range n {
		if err := s.Send(t.Context(), msg()); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
}

func wantCounts(t *testing.T, be *server, opened, delivered int) {
	t.Helper()
	if o, _, d := be.counts(); o != opened || d != delivered {
		t.Fatalf("%d sessions and %d deliveries, want %d and %d", o, d, opened, delivered)
	}
}

func TestSMTPSendsManyMessagesOnOneConnection(t *testing.T) {
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 100, time.Minute, 1)
	sendAll(t, s, 10)
	wantCounts(t, be, 1, 10)
}

func TestSMTPReconnectsAfterTheBound(t *testing.T) {
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 3, time.Minute, 1)
	sendAll(t, s, 7)
	wantCounts(t, be, 3, 7) // 3 + 3 + 1
	testkit.Eventually(t, 5*time.Second, "the two full connections are closed", func() error {
		if _, ended, _ := be.counts(); ended != 2 {
			return fmt.Errorf("%d sessions ended", ended)
		}
		return nil
	})
}

func TestSMTPClosesAnIdleConnection(t *testing.T) {
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 100, 50*time.Millisecond, 1)
	sendAll(t, s, 1)
	testkit.Eventually(t, 5*time.Second, "the idle connection is closed", func() error {
		if _, ended, _ := be.counts(); ended != 1 {
			return fmt.Errorf("%d sessions ended", ended)
		}
		return nil
	})
	sendAll(t, s, 1)
	wantCounts(t, be, 2, 2)
}

// A relay that closed the connection while it sat idle costs the next message nothing: it goes out on a
// fresh connection, once.
func TestSMTPReconnectsWhenTheServerDroppedTheConnection(t *testing.T) {
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 100, time.Minute, 1)
	sendAll(t, s, 1)
	be.dropAll()
	m := msg()
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatalf("send after the server dropped the connection: %v", err)
	}
	wantCounts(t, be, 2, 2)
	if n := be.arrived(m); n != 1 {
		t.Fatalf("the message arrived %d times", n)
	}
}

// When the connection breaks after the final "." the server may have taken the message: it is not sent
// again on a fresh connection (the dispatcher's retry, much later, is the at-least-once fallback).
func TestSMTPDoesNotResendWhenTheAnswerToTheDataIsLost(t *testing.T) {
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 100, time.Minute, 1)
	sendAll(t, s, 1)
	be.mu.Lock()
	be.dropAfterData = true
	be.mu.Unlock()
	m := msg()
	err := s.Send(t.Context(), m)
	if err == nil || domain.IsPermanent(err) {
		t.Fatalf("a lost answer must be a temporary failure, got %v", err)
	}
	wantCounts(t, be, 1, 2)
	if n := be.arrived(m); n != 1 {
		t.Fatalf("the message arrived %d times", n)
	}
	sendAll(t, s, 1) // and the next message gets a new connection
	wantCounts(t, be, 2, 3)
}

// A 5xx for the recipient is the message's outcome, not the connection's: no second try, and the
// connection goes on serving.
func TestSMTPDoesNotRetryARejectedRecipient(t *testing.T) {
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 100, time.Minute, 1)
	sendAll(t, s, 1)
	bounce := msg()
	bounce.Recipient = "bounce@example.org"
	if err := s.Send(t.Context(), bounce); !domain.IsPermanent(err) {
		t.Fatalf("want a permanent failure, got %v", err)
	}
	if n := be.tried("bounce@example.org"); n != 1 {
		t.Fatalf("the rejected recipient was tried %d times", n)
	}
	sendAll(t, s, 1)
	wantCounts(t, be, 1, 2)
}

// Workers sending side by side each use a connection of their own, and no more connections than workers.
func TestSMTPConcurrentSendsShareAtMostOneConnectionPerWorker(t *testing.T) {
	const workers, each = 4, 25
	be := &server{}
	s := reuseSender(t, serve(t, be, nil, false), 100, time.Minute, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				errs <- s.Send(t.Context(), msg())
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if opened, _, delivered := be.counts(); opened > workers || delivered != workers*each {
		t.Fatalf("%d sessions for %d workers, %d deliveries", opened, workers, delivered)
	}
}
