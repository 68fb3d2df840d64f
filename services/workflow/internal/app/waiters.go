package app

import (
	"context"
	"sync"
	"time"
)

// waiters lets job activations wait for jobs of their type instead of polling: a step that creates jobs
// wakes them after its commit (notify), and so does a NOTIFY from another replica (the store's listener
// calls Service.JobsCreated). A waiter also wakes after a poll bound, so a lost notification costs latency,
// never a job.
type waiters struct {
	mu sync.Mutex
	ch map[string]chan struct{} // job type -> closed when a job of the type is created
}

func newWaiters() *waiters { return &waiters{ch: map[string]chan struct{}{}} }

// channel returns the channel closed at the next notification for jobType.
func (w *waiters) channel(jobType string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.ch[jobType]
	if !ok {
		c = make(chan struct{})
		w.ch[jobType] = c
	}
	return c
}

// notify wakes every waiter for jobType.
func (w *waiters) notify(jobType string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.ch[jobType]; ok {
		close(c)
		delete(w.ch, jobType)
	}
}

// wait blocks until a job of jobType may have been created, d passes or ctx ends.
func (w *waiters) wait(ctx context.Context, c <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c:
	case <-t.C:
	case <-ctx.Done():
	}
}

// JobsCreated wakes the activations waiting for jobs of these types (another replica created them).
func (s *Service) JobsCreated(types ...string) {
	for _, t := range types {
		s.waiters.notify(t)
	}
}
