package app

import (
	"context"
	"time"
)

// WorkOnce runs one pass of every background task: batch and job validation, expiry of reservations,
// payment, reconciliation, batch completion and callback delivery. It reports whether any task found work.
// Several replicas may run it at once: each task claims its rows (SKIP LOCKED or a lease).
func (s *Service) WorkOnce(ctx context.Context) (bool, error) {
	busy := false
	steps := []func(context.Context) (bool, error){
		s.ValidateNextBatch,
		s.ValidateNextJob,
		counted(s.ExpireDue),
		counted(s.SubmitDue),
		counted(s.ReconcileDue),
		counted(s.CompleteDone),
		counted(s.DeliverCallbacks),
	}
	for _, step := range steps {
		did, err := step(ctx)
		if err != nil {
			return busy, err
		}
		busy = busy || did
	}
	return busy, nil
}

func counted(f func(context.Context) (int, error)) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		n, err := f(ctx)
		return n > 0, err
	}
}

// RunWorkers runs WorkOnce until ctx is done: again at once while there is work, after idle when there is
// none, after a growing pause (up to 30 s) when a pass fails (the database is away).
func (s *Service) RunWorkers(ctx context.Context, idle time.Duration) error {
	wait, failing := idle, time.Duration(0)
	for {
		busy, err := s.WorkOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failing = min(max(2*failing, time.Second), 30*time.Second)
			wait = failing
			s.log.Warn("payments: background pass failed", "error", err.Error(), "retry_in", wait.String())
		case busy:
			failing, wait = 0, 0
		default:
			failing, wait = 0, idle
		}
		if wait == 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}
