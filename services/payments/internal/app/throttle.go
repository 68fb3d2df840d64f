package app

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// railLimiters throttle the calls to each rail: a batch of 10,000 instructions is not thrown at an FSP at
// once, whatever the number of batches or replicas in this process.
type railLimiters struct {
	mu    sync.Mutex
	rate  float64
	rails map[string]*rate.Limiter
}

func newRailLimiters(perSecond float64) *railLimiters {
	return &railLimiters{rate: perSecond, rails: map[string]*rate.Limiter{}}
}

// wait blocks until rail may be called once more.
func (l *railLimiters) wait(ctx context.Context, rail string) error {
	l.mu.Lock()
	lim, ok := l.rails[rail]
	if !ok {
		burst := int(l.rate / 10)
		lim = rate.NewLimiter(rate.Limit(l.rate), max(burst, 1))
		l.rails[rail] = lim
	}
	l.mu.Unlock()
	return lim.Wait(ctx)
}

// forEach calls fn for each item with at most n at once, each after the rail's throttle lets it; it
// returns when all are done or ctx ends (items not started then are skipped).
func (l *railLimiters) forEach(ctx context.Context, rail string, n, count int, fn func(i int)) {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i := range count {
		if l.wait(ctx, rail) != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}
