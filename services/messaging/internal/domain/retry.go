package domain

import (
	"math/rand/v2"
	"time"
)

// RetryPolicy says when to try a temporarily failed message again.
type RetryPolicy struct {
	MaxAttempts int           // attempts before the message becomes a dead letter
	Base        time.Duration // delay after the first failure
	Max         time.Duration // cap on the delay
}

// Delay is the wait after the attempt-th failure (1-based): exponential growth from Base, capped at Max,
// with "equal jitter" (half fixed, half random) so that a burst of failures does not retry in lock-step.
func (p RetryPolicy) Delay(attempt int) time.Duration {
	d := p.Base
	for i := 1; i < attempt && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(half+1)
}

// Exhausted says whether a message that failed its attempt-th attempt goes to the dead letters.
func (p RetryPolicy) Exhausted(attempt int) bool { return attempt >= p.MaxAttempts }
