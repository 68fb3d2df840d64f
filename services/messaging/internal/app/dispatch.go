package app

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
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
	token := uuid.NewString()
	msgs, err := s.store.ClaimDue(ctx, s.dispatch.ClaimBatch, s.dispatch.Lease,
		func(m *domain.Message) error { return m.Claim(token) })
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
	var unattempted []domain.Message
	var g errgroup.Group
	g.SetLimit(s.dispatch.Workers)
	for _, m := range msgs {
		g.Go(func() error {
			if ctx.Err() != nil || limiters[m.Channel].Wait(ctx) != nil {
				mu.Lock()
				unattempted = append(unattempted, m)
				mu.Unlock()
				return nil
			}
			results <- s.attempt(ctx, m)
			return nil
		})
	}
	_ = g.Wait()
	close(results)
	<-recorded
	if len(unattempted) > 0 {
		s.release(ctx, token, unattempted)
	}
	return len(msgs), nil
}

// release hands back claims that were not attempted (the dispatcher is stopping). ctx is done here; the
// hand-back must still happen, so it gets its own short deadline.
func (s *Service) release(ctx context.Context, token string, msgs []domain.Message) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	released := make([]domain.Message, 0, len(msgs))
	for _, m := range msgs {
		if err := m.Release(); err != nil {
			s.log.Error("a claimed message cannot be released", "message_id", m.ID, "error", err.Error())
			continue
		}
		released = append(released, m)
	}
	err := s.store.InTx(rctx, func(tx Tx) error {
		_, err := tx.SaveClaimed(rctx, token, released)
		return err
	})
	if err != nil {
		s.log.Warn("releasing claims failed; they come back when the lease expires", "error", err.Error())
	}
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
			if _, err := s.store.RenewLease(rctx, token, s.dispatch.Lease); err != nil && rctx.Err() == nil {
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
