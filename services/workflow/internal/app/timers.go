package app

import (
	"context"
	"log/slog"
	"slices"
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
		n, err := s.fireAll(ctx, claimed)
		total += n
		if err != nil {
			return total, err
		}
		if len(claimed) < claimBatch {
			return total, nil
		}
	}
}

// each runs do for 0..n-1 on a few goroutines and adds up what they count; the first error is returned.
func (s *Service) each(ctx context.Context, n int, do func(i int) (int, error)) (int, error) {
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
				c, err := do(i)
				mu.Lock()
				count += c
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

// fireChunk is how many claimed timers fire in one transaction: one commit for many timers is what lets a
// burst of timers due at one instant fire fast. Their instances are locked in id order, so two chunks
// never wait for each other in a cycle.
const fireChunk = 25

// fireAll fires claimed timers chunk by chunk; a chunk that fails (one of its steps cannot be written) is
// fired again timer by timer, so one bad timer does not hold back the others.
func (s *Service) fireAll(ctx context.Context, claimed []Timer) (int, error) {
	slices.SortFunc(claimed, func(a, b Timer) int { return strings.Compare(a.InstanceID, b.InstanceID) })
	var chunks [][]Timer
	for i := 0; i < len(claimed); i += fireChunk {
		chunks = append(chunks, claimed[i:min(i+fireChunk, len(claimed))])
	}
	return s.each(ctx, len(chunks), func(i int) (int, error) {
		n, err := s.fire(ctx, chunks[i])
		if err == nil || ctx.Err() != nil || len(chunks[i]) == 1 {
			return n, err
		}
		n = 0
		for _, t := range chunks[i] {
			one, err := s.fire(ctx, []Timer{t})
			if err != nil {
				s.log.Warn("a timer could not fire; it is tried again after its lease", "timer", t.ID, "error", err.Error())
			}
			n += one
		}
		return n, nil
	})
}

// fire fires claimed timers in one transaction and returns how many fired (a timer no longer there —
// cancelled, or taken over by another replica — does not).
func (s *Service) fire(ctx context.Context, timers []Timer) (int, error) {
	var late []time.Duration
	err := s.inTx(ctx, func(r *run) error {
		late = late[:0]
		for _, t := range timers {
			d, fired, err := r.fireOne(t)
			if err != nil {
				return err
			}
			if fired {
				late = append(late, d)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, d := range late {
		s.metrics.TimerFired(d)
	}
	return len(late), nil
}

// fireOne fires one claimed timer in r's transaction; fired is false when it was no longer there to fire.
func (r *run) fireOne(t Timer) (lateness time.Duration, fired bool, err error) {
	if t.InstanceID == "" {
		return r.fireStart(t)
	}
	inst, err := r.lock(t.InstanceID)
	if k := apierr.KindOf(err); k == apierr.KindNotFound || k == apierr.KindFailedPrecondition {
		return 0, false, r.tx.DeleteTimer(r.ctx, t.ID) // the instance ended: nothing waits for the timer
	}
	if err != nil {
		return 0, false, err
	}
	row, ok, err := r.tx.LockTimer(r.ctx, t.ID, r.s.owner, t.Epoch)
	if err != nil || !ok || inst.Suspended {
		return 0, false, err
	}
	model, err := r.modelOf(&inst)
	if err != nil {
		return 0, false, err
	}
	err = r.step(&inst, model, engine.TimerFired{TimerID: t.ID}, &StepWrite{})
	if apierr.KindOf(err) == apierr.KindNotFound {
		return 0, false, r.tx.DeleteTimer(r.ctx, t.ID) // the state no longer waits for it
	}
	return r.now.Sub(row.DueAt), err == nil, err
}

// fireStart starts an instance at a timer start event and schedules its next firing (cycles, cron).
func (r *run) fireStart(t Timer) (time.Duration, bool, error) {
	row, ok, err := r.tx.LockTimer(r.ctx, t.ID, r.s.owner, t.Epoch)
	if err != nil || !ok {
		return 0, false, err
	}
	def, err := r.tx.DefinitionIn(r.ctx, row.DefinitionID)
	if err != nil {
		return 0, false, err
	}
	if !def.Enabled || def.Deleted {
		return 0, false, r.tx.DeleteTimer(r.ctx, t.ID)
	}
	model, err := r.s.model(def)
	if err != nil {
		return 0, false, err
	}
	el := model.Elements[row.ElementID]
	if _, err := r.startInstance(def, startSpec{Event: el.ID, StartedBy: "timer " + el.ID}); err != nil {
		return 0, false, err
	}
	late := r.now.Sub(row.DueAt)
	next, more, err := r.s.startTimerDue(el, row.DueAt, row.Repetition+1)
	if err != nil || !more {
		return late, true, r.tx.DeleteTimer(r.ctx, t.ID)
	}
	row.DueAt, row.Repetition = next, row.Repetition+1
	r.scheduled = true
	return late, true, r.tx.RescheduleTimer(r.ctx, row)
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
