package app

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
)

// Dispatch sends due messages until ctx is done.
//
// Delivery guarantee. A message is claimed (status processing, a lease token, lease_until) in one statement,
// sent, and its outcome written under the same token. A dispatcher that is stopped (ctx cancelled) starts no
// new send, lets sends in flight finish and records their outcome with a context that outlives ctx, and
// hands unattempted claims back — so a stop in the middle of a batch delivers every message exactly once. A
// dispatcher renews the lease of its claims while it works through them (every third of the lease), so the
// lease can be short: a dispatcher that dies (kill -9, power loss) leaves its claims to expire within one
// lease (10 s by default), and another dispatcher then resends them. If it died after the SMTP server said "250 OK" but before the outcome was committed, that message is
// sent a second time: no protocol can close that window between two systems without a shared transaction.
// It is kept to one round trip, and every attempt carries the same Message-ID (domain.MessageIDHeader), so a
// receiver that de-duplicates on Message-ID (as the component test's SMTP sink does) sees it once.
func (s *Service) Dispatch(ctx context.Context) error {
	limiters := map[domain.Channel]*rate.Limiter{
		domain.Email: limiter(s.limits.EmailPerSecond), domain.SMS: limiter(s.limits.SMSPerSecond)}
	t := time.NewTicker(s.dispatch.PollInterval)
	defer t.Stop()
	failures := 0
	for ctx.Err() == nil {
		n, err := s.dispatchOnce(ctx, limiters)
		if err != nil && ctx.Err() == nil {
			failures++
			s.log.Warn("dispatch pass failed", "error", err.Error(), "failures", failures)
			wait(ctx, min(time.Duration(failures)*time.Second, 30*time.Second))
			continue
		}
		failures = 0
		if n > 0 {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-t.C:
		}
	}
	return nil
}

func limiter(perSecond float64) *rate.Limiter {
	if perSecond <= 0 {
		return rate.NewLimiter(rate.Inf, 1)
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))
}

func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// dispatchOnce claims one batch and works through it with the configured number of workers. Outcomes go to
// one recorder that commits whatever has queued up in a single transaction (group commit): commits that
// carry a NOTIFY (the outbox's) are serialised by Postgres, so one per message would cap throughput.
func (s *Service) dispatchOnce(ctx context.Context, limiters map[domain.Channel]*rate.Limiter) (int, error) {
	token, msgs, err := s.store.Claim(ctx, s.dispatch.ClaimBatch, s.dispatch.Lease)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	stopRenewing := s.renewWhileWorking(ctx, token)
	defer stopRenewing()
	results := make(chan result, len(msgs))
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		s.recordResults(ctx, token, results)
	}()
	var mu sync.Mutex
	var unattempted []string
	var g errgroup.Group
	g.SetLimit(s.dispatch.Workers)
	for _, m := range msgs {
		g.Go(func() error {
			if ctx.Err() != nil || limiters[m.Channel].Wait(ctx) != nil {
				mu.Lock()
				unattempted = append(unattempted, m.ID)
				mu.Unlock()
				return nil
			}
			results <- result{m, s.attempt(ctx, m)}
			return nil
		})
	}
	_ = g.Wait()
	close(results)
	<-recorded
	if len(unattempted) > 0 {
		// ctx is done here; the hand-back must still happen, so it gets its own short deadline.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := s.store.Release(rctx, token, unattempted); err != nil {
			s.log.Warn("releasing claims failed; they come back when the lease expires", "error", err.Error())
		}
	}
	return len(msgs), nil
}

type result struct {
	m domain.Message
	o store.Outcome
}

// renewWhileWorking renews the lease of token's claims every third of the lease until the returned func is
// called. It runs detached from ctx's cancellation: a stopping dispatcher still finishes the sends in flight
// and must keep them. A renewal that fails is logged and tried again at the next tick; if the database stays
// away for a whole lease, another dispatcher may take the messages over, which is the behaviour without
// renewal.
func (s *Service) renewWhileWorking(ctx context.Context, token string) (stop func()) {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(s.dispatch.Lease/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
			}
			if _, err := s.store.Renew(rctx, token, s.dispatch.Lease); err != nil && rctx.Err() == nil {
				s.log.Warn("renewing the lease of claimed messages failed; retrying", "error", err.Error())
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// recordResults commits outcomes in groups of whatever is waiting (at most 64) until results is closed. It
// runs on a context detached from ctx's cancellation: a stop must not lose the record of a completed send.
func (s *Service) recordResults(ctx context.Context, token string, results <-chan result) {
	for r := range results {
		group := []result{r}
	drain:
		for len(group) < 64 {
			select {
			case r, ok := <-results:
				if !ok {
					break drain
				}
				group = append(group, r)
			default:
				break drain
			}
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		if err := s.record(rctx, token, group); err != nil {
			s.log.Error("recording delivery outcomes failed; those messages are resent when their lease expires",
				"messages", len(group), "error", err.Error())
		}
		cancel()
	}
}

// attempt sends m once and classifies the result. The send runs on a context detached from ctx's
// cancellation (bounded by SendTimeout) so that a stop cannot cut a send between "accepted" and "recorded".
func (s *Service) attempt(ctx context.Context, m domain.Message) store.Outcome {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.dispatch.SendTimeout)
	defer cancel()
	err := s.sender(m.Channel).Send(sctx, m)
	var o store.Outcome
	switch {
	case err == nil:
		return store.Outcome{Status: domain.Delivered}
	case domain.IsPermanent(err):
		o = store.Outcome{Status: domain.Bounced, Error: truncate(err.Error())}
	case s.dispatch.Retry.Exhausted(m.Attempts):
		o = store.Outcome{Status: domain.DeadLetter, Error: truncate(err.Error())}
	default:
		o = store.Outcome{Status: domain.Deferred, Error: truncate(err.Error()),
			NextAttempt: time.Now().Add(s.dispatch.Retry.Delay(m.Attempts))}
	}
	s.logFailure(ctx, m, o, err)
	return o
}

// logFailure tells the operator about a failed delivery at warn level: the message id (to look it up), the
// channel, the attempt, what happens next and the reason — without personal data (domain.LogReason), since
// an SMTP server's answer often repeats the recipient's address and an SMS provider's may quote the text.
// The full error is stored with the message.
func (s *Service) logFailure(ctx context.Context, m domain.Message, o store.Outcome, err error) {
	outcome := o.Status.GovStackName()
	if o.Status == domain.DeadLetter {
		outcome = "deadLetter" // GovStack counts it as notSent; the operator needs to know it awaits a retry
	}
	attrs := []any{"message_id", m.ID, "channel", string(m.Channel), "attempt", m.Attempts,
		"outcome", outcome, "reason", truncate(domain.LogReason(err, m))}
	if o.Status == domain.Deferred {
		attrs = append(attrs, "next_attempt", o.NextAttempt.UTC().Format(time.RFC3339))
	}
	s.log.WarnContext(ctx, "message delivery failed", attrs...)
}

func (s *Service) sender(c domain.Channel) interface {
	Send(context.Context, domain.Message) error
} {
	if snd, ok := s.senders[c]; ok && snd != nil {
		return snd
	}
	return noSender{c}
}

func truncate(s string) string {
	if len(s) > 1000 {
		return s[:1000]
	}
	return s
}
