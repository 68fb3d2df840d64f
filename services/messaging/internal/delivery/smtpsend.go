package delivery

import (
	"context"
	"errors"
	"fmt"

	mail "github.com/wneessen/go-mail"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Send delivers m, over an open session when there is one. A send on a reused session that fails because the
// session is gone (the server closed it while it was idle, or is closing it: 421) before the server can have
// taken the message is tried once more on a fresh session; a failure on a fresh session, or any answer
// about the message itself (a 5xx for the recipient, a 4xx deferral), is the attempt's outcome. The
// Message-ID is stable per message (see domain.MessageIDHeader) so a repeat after a crash can be recognised.
func (s *SMTP) Send(ctx context.Context, m domain.Message) error {
	msg, err := s.build(m)
	if err != nil {
		return domain.Permanent(err)
	}
	c := s.conns.take()
	reused := c != nil
	if !reused {
		if c, err = s.dial(ctx); err != nil {
			return classifySMTP(err)
		}
	}
	err = s.sendOn(c, msg)
	if err != nil && reused && sessionGone(err) {
		s.conns.drop(c)
		if c, err = s.dial(ctx); err != nil {
			return classifySMTP(err)
		}
		err = s.sendOn(c, msg)
	}
	s.release(c, err)
	return classifySMTP(err)
}

func (s *SMTP) dial(ctx context.Context) (*conn, error) {
	c, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("dial failed: %w", err)
	}
	return &conn{c: c}, nil
}

// sendOn runs one mail transaction on c.
func (s *SMTP) sendOn(c *conn, msg *mail.Msg) error {
	c.sent++
	err := s.client.SendWithSMTPClient(c.c, msg)
	if err != nil {
		return fmt.Errorf("send failed: %w", err)
	}
	return nil
}

// release gives c back after a transaction that ended with err: a session that answered keeps going until
// its bound (after a refusal, once RSET shows it is in a known state); one that did not is dropped.
func (s *SMTP) release(c *conn, err error) {
	switch {
	case err == nil && c.sent < s.cfg.MaxPerConn:
		s.conns.put(c)
	case err == nil:
		s.conns.quit(c)
	case replyCode(err) != 0 && replyCode(err) != 421 && c.sent < s.cfg.MaxPerConn && c.c.Reset() == nil:
		s.conns.put(c)
	default:
		s.conns.drop(c)
	}
}

// Close ends the idle sessions; the sender stays usable and dials again when it sends.
func (s *SMTP) Close() error {
	s.conns.closeAll()
	return nil
}

// sessionGone says whether err shows that the session failed rather than the message, at a point where the
// server cannot have taken the message: no answer at all (the connection was closed or broke) or 421
// (closing), on any command up to the data. Once the final "." is sent, only a 421 proves the message was
// not taken; a lost answer there might have been a "250 OK", and a second send could deliver it twice.
func sessionGone(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	switch se.Reason {
	case mail.ErrConnCheck, mail.ErrSMTPMailFrom, mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrWriteContent:
		return code == 0 || code == 421
	case mail.ErrSMTPDataClose:
		return code == 421
	}
	return false
}

// replyCode is the server's reply code in err, 0 when the server did not answer.
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
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
