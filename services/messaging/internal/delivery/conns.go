package delivery

import (
	"slices"
	"sync"
	"time"

	"github.com/wneessen/go-mail/smtp"
)

// Connection reuse. Opening an SMTP session costs the TCP handshake, the greeting, EHLO, STARTTLS and a
// second EHLO, and AUTH — several times the round trips of the message itself — so the sender keeps
// sessions open between messages: a send takes an idle one (or dials), and gives it back when it is done.
// With one idle session kept per dispatcher worker, each worker effectively has its own connection. A
// session is closed after MaxPerConn messages (relays limit messages per session, and a long-lived session
// pins one relay behind a load balancer), after IdleTimeout unused (no sessions held open against a quiet
// relay), and at once after an error that may have left it in an unknown state.

// conn is one open SMTP session.
type conn struct {
	c    *smtp.Client
	sent int         // messages attempted on it, the bound's count
	idle *time.Timer // closes it when it has sat in the pool for the idle timeout
}

// conns holds the idle sessions. Whoever removes a session from idle owns it: a send that takes it, the
// idle timer that closes it, or Close.
type conns struct {
	maxIdle     int
	idleTimeout time.Duration
	quitTimeout time.Duration // bound on a polite QUIT, so closing never waits on a dead server for long

	mu   sync.Mutex
	idle []*conn
}

// take returns an idle session, the most recently used (so that surplus ones age out), or nil.
func (p *conns) take() *conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.idle)
	if n == 0 {
		return nil
	}
	c := p.idle[n-1]
	p.idle = p.idle[:n-1]
	c.idle.Stop() // if it already fired, expire finds c gone and leaves it alone
	return c
}

// put keeps c for the next send, or closes it when the pool is full.
func (p *conns) put(c *conn) {
	p.mu.Lock()
	if len(p.idle) >= p.maxIdle {
		p.mu.Unlock()
		p.quit(c)
		return
	}
	c.idle = time.AfterFunc(p.idleTimeout, func() { p.expire(c) })
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// expire closes c if it is still idle.
func (p *conns) expire(c *conn) {
	p.mu.Lock()
	i := slices.Index(p.idle, c)
	if i >= 0 {
		p.idle = slices.Delete(p.idle, i, i+1)
	}
	p.mu.Unlock()
	if i >= 0 {
		p.quit(c)
	}
}

// quit ends a healthy session politely (QUIT), bounded by quitTimeout.
func (p *conns) quit(c *conn) {
	_ = c.c.UpdateDeadline(p.quitTimeout)
	_ = c.c.Quit()
	_ = c.c.Close() // Quit closes only when the server answered; a second close is harmless
}

// drop closes a session that failed, without a word: its state is unknown.
func (p *conns) drop(c *conn) { _ = c.c.Close() }

// closeAll ends every idle session (the dispatcher has stopped).
func (p *conns) closeAll() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.idle.Stop()
		p.quit(c)
	}
}
