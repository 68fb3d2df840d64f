package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// Background work sizes: how many timers or signals one claim takes, and how many are handled at once.
const (
	claimBatch  = 200
	fireWorkers = 4
)

// FireDue fires the timers due now, claim by claim, and returns how many fired. Each claim leases its
// timers to this replica (SKIP LOCKED: replicas share the work); each timer then fires in its own
// transaction that locks the instance and checks the lease is still this replica's, so a timer fires once
// even when a replica stalls past its lease and another takes over.
func (s *Service) FireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		claimed, err := s.store.ClaimTimers(ctx, s.owner, claimBatch, s.opts.TimerLease, s.now())
		if err != nil || len(claimed) == 0 {
			return total, err
		}
		n, err := s.each(ctx, len(claimed), func(i int) (bool, error) { return s.fire(ctx, claimed[i]) })
		total += n
		if err != nil {
			return total, err
		}
		if len(claimed) < claimBatch {
			return total, nil
		}
	}
}

// each runs do for 0..n-1 on a few goroutines and counts the true results; the first error is returned.
func (s *Service) each(ctx context.Context, n int, do func(i int) (bool, error)) (int, error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	count, next := 0, 0
	var first error
	for range min(fireWorkers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n || ctx.Err() != nil {
					return
				}
				ok, err := do(i)
				mu.Lock()
				if ok {
					count++
				}
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return count, first
}

// fire fires one claimed timer; false when it was no longer there to fire (cancelled, or taken over).
func (s *Service) fire(ctx context.Context, t Timer) (bool, error) {
	fired := false
	err := s.inTx(ctx, func(r *run) error {
		fired = false
		if t.InstanceID == "" {
			ok, err := r.fireStart(t)
			fired = ok
			return err
		}
		inst, err := r.lock(t.InstanceID)
		if k := apierr.KindOf(err); k == apierr.KindNotFound || k == apierr.KindFailedPrecondition {
			return r.tx.DeleteTimer(r.ctx, t.ID) // the instance ended: nothing waits for the timer
		}
		if err != nil {
			return err
		}
		row, ok, err := r.tx.LockTimer(r.ctx, t.ID, s.owner, t.Epoch)
		if err != nil || !ok || inst.Suspended {
			return err
		}
		model, err := r.modelOf(&inst)
		if err != nil {
			return err
		}
		err = r.step(&inst, model, engine.TimerFired{TimerID: t.ID}, &StepWrite{})
		if apierr.KindOf(err) == apierr.KindNotFound {
			return r.tx.DeleteTimer(r.ctx, t.ID) // the state no longer waits for it
		}
		if err == nil {
			fired = true
			s.metrics.TimerFired(r.now.Sub(row.DueAt))
		}
		return err
	})
	return fired, err
}

// fireStart starts an instance at a timer start event and schedules its next firing (cycles, cron).
func (r *run) fireStart(t Timer) (bool, error) {
	row, ok, err := r.tx.LockTimer(r.ctx, t.ID, r.s.owner, t.Epoch)
	if err != nil || !ok {
		return false, err
	}
	def, err := r.tx.DefinitionIn(r.ctx, row.DefinitionID)
	if err != nil {
		return false, err
	}
	if !def.Enabled || def.Deleted {
		return false, r.tx.DeleteTimer(r.ctx, t.ID)
	}
	model, err := r.s.model(def)
	if err != nil {
		return false, err
	}
	el := model.Elements[row.ElementID]
	if _, err := r.startInstance(def, startSpec{Event: el.ID, StartedBy: "timer " + el.ID}); err != nil {
		return false, err
	}
	r.s.metrics.TimerFired(r.now.Sub(row.DueAt))
	next, more, err := r.s.startTimerDue(el, row.DueAt, row.Repetition+1)
	if err != nil || !more {
		return true, r.tx.DeleteTimer(r.ctx, t.ID)
	}
	row.DueAt, row.Repetition = next, row.Repetition+1
	r.scheduled = true
	return true, r.tx.RescheduleTimer(r.ctx, row)
}

// startTimerDue is when a timer start event fires after firing `fired` times, counting from `from`.
func (s *Service) startTimerDue(el *bpmn.Element, from time.Time, fired int) (time.Time, bool, error) {
	value := el.Timer.Value
	if strings.HasPrefix(value, "=") {
		x, err := s.opts.Expressions.Compile(value)
		if err != nil {
			return time.Time{}, false, err
		}
		v, err := x.EvalAt(map[string]any{}, from)
		if err != nil {
			return time.Time{}, false, err
		}
		str, ok := v.(string)
		if !ok {
			return time.Time{}, false, apierr.Invalid(domain.ReasonInvalidBPMN, "the start timer's expression is not text")
		}
		value = str
	}
	return s.timers.Next(el.Timer.Type, value, from, fired)
}

// RunTimers fires due timers and handles signals until ctx is done: after each pass it sleeps until the
// next timer or signal is due, at most interval (so work created by other replicas waits no longer), and
// wakes at once when this replica schedules something. Errors are logged and retried: late, never lost.
func (s *Service) RunTimers(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	wait := time.NewTimer(0)
	defer wait.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wait.C:
		case <-s.wake:
		}
		if _, err := s.FireDue(ctx); err != nil && ctx.Err() == nil {
			log.Warn("firing timers failed; retrying", "error", err.Error())
		}
		if _, err := s.HandleSignals(ctx); err != nil && ctx.Err() == nil {
			log.Warn("handling signals failed; retrying", "error", err.Error())
		}
		s.maybePurge(ctx, log)
		wait.Stop()
		wait.Reset(s.nextWait(ctx, interval))
	}
}

// minWait keeps the loop from spinning on something due in a moment.
const minWait = 5 * time.Millisecond

func (s *Service) nextWait(ctx context.Context, interval time.Duration) time.Duration {
	d := interval
	for _, next := range []func(context.Context) (time.Time, error){s.store.NextTimer, s.store.NextSignal} {
		if at, err := next(ctx); err == nil && !at.IsZero() {
			d = min(d, max(at.Sub(s.now()), minWait))
		}
	}
	return d
}

// purgeEvery is how often expired messages are deleted; purgeAfter how long past their expiry they are kept.
const (
	purgeEvery = 10 * time.Minute
	purgeAfter = 24 * time.Hour
)

// maybePurge deletes messages that expired a day ago, at most every purgeEvery (on every replica; the
// deletes are idempotent).
func (s *Service) maybePurge(ctx context.Context, log *slog.Logger) {
	now := s.now()
	if now.Sub(s.lastPurge) < purgeEvery {
		return
	}
	s.lastPurge = now
	if n, err := s.store.PurgeMessages(ctx, now.Add(-purgeAfter)); err != nil && ctx.Err() == nil {
		log.Warn("purging expired messages failed", "error", err.Error())
	} else if n > 0 {
		log.Debug("purged expired messages", "count", n)
	}
}
