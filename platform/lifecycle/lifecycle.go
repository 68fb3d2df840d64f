// Package lifecycle runs a process's long-lived tasks and stops them in the order ARCHITECTURE.md §4 gives:
// first the front door stops accepting and finishes what it accepted, then what it calls, then the
// background work (outbox relays, consumers, timers, the message log). Every task starts at once; the order
// matters only when the process stops.
package lifecycle

import (
	"context"
	"sync"
)

// Task runs until its context is done and then returns nil, or fails with an error.
type Task func(context.Context) error

// Stage is a group of tasks stopped together.
type Stage []Task

// Run starts every task of every stage and waits until ctx is done or a task fails. Then it stops the
// stages one after another: it cancels the first stage's context, waits for all of its tasks to return,
// then does the same with the second, and so on — so a request the first stage is still finishing can use
// what the later stages serve. Contexts keep ctx's values. Run returns the first task's error, if any.
func Run(ctx context.Context, stages ...Stage) error {
	failed, fail := context.WithCancel(ctx)
	defer fail()
	var (
		mu    sync.Mutex
		first error
	)
	type running struct {
		stop  context.CancelFunc
		tasks sync.WaitGroup
	}
	all := make([]*running, len(stages))
	for i, stage := range stages {
		r := &running{}
		stageCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
		r.stop = stop
		all[i] = r
		for _, task := range stage {
			r.tasks.Go(func() {
				if err := task(stageCtx); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					fail()
				}
			})
		}
	}
	<-failed.Done()
	for _, r := range all {
		r.stop()
		r.tasks.Wait()
	}
	return first
}
