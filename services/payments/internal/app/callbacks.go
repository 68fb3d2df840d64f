package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// CallbackRenderer renders a callback's body: the same JSON as its poll twin answers (internal/api).
type CallbackRenderer func(ctx context.Context, c domain.Callback) ([]byte, error)

// CallbackPoster posts a body to a caller's X-Callback-URL; an error or a non-2xx answer is a failed attempt.
type CallbackPoster interface {
	Post(ctx context.Context, url string, body []byte, correlationID string) error
}

// SetCallbacks gives the service what delivers callbacks; without it DeliverCallbacks does nothing.
func (s *Service) SetCallbacks(render CallbackRenderer, post CallbackPoster) {
	s.render, s.post = render, post
}

// callbackLease is how long one delivery attempt holds a callback before another replica may try it.
const callbackLease = time.Minute

// DeliverCallbacks sends due callbacks once each: a delivered one is done; a failed one is tried again after
// a backoff (1 s doubling to 10 min) until Options.CallbackAttempts, then given up (its poll twin still
// answers). It returns how many it delivered.
func (s *Service) DeliverCallbacks(ctx context.Context) (int, error) {
	if s.render == nil || s.post == nil {
		return 0, nil
	}
	now := s.now()
	due, err := s.store.ClaimCallbacks(ctx, now, now.Add(callbackLease), 50)
	if err != nil {
		return 0, err
	}
	delivered := 0
	for _, c := range due {
		err := s.deliver(ctx, c)
		attempts := c.Attempts + 1
		giveUp := err != nil && attempts >= s.opts.CallbackAttempts
		if err != nil {
			s.log.Warn("payments: callback not delivered", "kind", string(c.Kind), "subject", c.Subject,
				"attempt", attempts, "error", err.Error())
		} else {
			delivered++
		}
		if derr := s.store.CallbackDone(ctx, c.ID, s.now(), err, s.now().Add(domain.CallbackBackoff(attempts)), giveUp); derr != nil {
			return delivered, derr
		}
	}
	return delivered, nil
}

func (s *Service) deliver(ctx context.Context, c domain.Callback) error {
	body, err := s.render(ctx, c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return s.post.Post(ctx, c.URL, body, c.ID)
}
