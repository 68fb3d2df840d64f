package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// signalBackoff is how long a signal that failed waits before it is tried again (by attempt, the last
// repeating): the instance it is for may be suspended, or the database may be away.
var signalBackoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 5 * time.Minute}

// HandleSignals handles the signals due now — what one instance asked of another — and returns how many
// it handled. Like timers, they are claimed with a lease and handled each in its own transaction that
// checks the lease is still this replica's.
func (s *Service) HandleSignals(ctx context.Context) (int, error) {
	total := 0
	for {
		claimed, err := s.store.ClaimSignals(ctx, s.owner, claimBatch, s.opts.TimerLease, s.now())
		if err != nil || len(claimed) == 0 {
			return total, err
		}
		n, err := s.each(ctx, len(claimed), func(i int) (int, error) {
			done, err := s.handleSignal(ctx, claimed[i])
			if done {
				return 1, err
			}
			return 0, err
		})
		total += n
		if err != nil {
			return total, err
		}
		if len(claimed) < claimBatch {
			return total, nil
		}
	}
}

// handleSignal handles one claimed signal; a failure leaves it for a later attempt.
func (s *Service) handleSignal(ctx context.Context, sig domain.Signal) (bool, error) {
	done := false
	err := s.inTx(ctx, func(r *run) error {
		ok, err := r.tx.LockSignal(r.ctx, sig.ID, s.owner, sig.Epoch)
		if err != nil || !ok {
			done = false
			return err
		}
		if err := r.handle(sig); err != nil {
			return err
		}
		done = true
		return r.tx.DeleteSignal(r.ctx, sig.ID)
	})
	if err != nil && ctx.Err() == nil {
		retry := s.now().Add(signalBackoff[min(sig.Attempts, len(signalBackoff)-1)])
		if ferr := s.store.InTx(ctx, func(tx Tx) error { return tx.FailSignal(ctx, sig.ID, retry) }); ferr != nil {
			return false, ferr
		}
		if err != errRetryLater {
			s.log.Warn("signal failed; retrying", "signal", sig.ID, "kind", string(sig.Kind), "error", err.Error())
		}
		return false, nil
	}
	return done, err
}

// handle does what a signal asks, in r's transaction.
func (r *run) handle(sig domain.Signal) error {
	switch sig.Kind {
	case domain.SignalChildEnded:
		var m childEnded
		if err := json.Unmarshal(sig.Payload, &m); err != nil {
			return err
		}
		return r.onLocked(sig.InstanceID, engine.ChildEnded{ChildID: m.ChildID, Status: m.Status, Vars: m.Vars, ErrorCode: m.ErrorCode})
	case domain.SignalCancelChild:
		return r.onLocked(sig.InstanceID, engine.Cancel{ByParent: true})
	case domain.SignalCorrelate:
		var c correlate
		if err := json.Unmarshal(sig.Payload, &c); err != nil {
			return err
		}
		return r.deliver(sig.InstanceID, c)
	case domain.SignalFlowTrigger:
		var f flowStart
		if err := json.Unmarshal(sig.Payload, &f); err != nil {
			return err
		}
		return r.flowStart(f)
	}
	return fmt.Errorf("unknown signal kind %q", sig.Kind)
}

// onLocked steps an instance with tr; an instance that has ended meanwhile is left as it is.
func (r *run) onLocked(id string, tr engine.Trigger) error {
	inst, err := r.lock(id)
	if k := apierr.KindOf(err); k == apierr.KindNotFound || k == apierr.KindFailedPrecondition {
		return nil
	}
	if err != nil {
		return err
	}
	if inst.Suspended {
		if _, cancel := tr.(engine.Cancel); !cancel {
			return errRetryLater
		}
	}
	model, err := r.modelOf(&inst)
	if err != nil {
		return err
	}
	err = r.step(&inst, model, tr, &StepWrite{})
	if k := apierr.KindOf(err); k == apierr.KindNotFound {
		return nil // the instance no longer waits for it
	}
	return err
}

// flowStart starts a flow trigger's target process; the idempotency key makes a repeated signal start it once.
func (r *run) flowStart(f flowStart) error {
	def, err := r.tx.LatestDefinitionIn(r.ctx, f.TargetKey, true)
	if apierr.KindOf(err) == apierr.KindNotFound {
		r.s.log.Warn("flow trigger: the target process is not deployed or not enabled", "trigger", f.TriggerID, "target", f.TargetKey)
		return nil
	}
	if err != nil {
		return err
	}
	key := "flow-trigger:" + f.TriggerID + ":" + f.SourceInstance
	if _, found, err := r.tx.FindStarted(r.ctx, def.Key, key, ""); err != nil || found {
		return err
	}
	vars := map[string]any{}
	for k, v := range f.Vars {
		vars[k] = v
	}
	vars["triggeredBy"] = f.SourceInstance
	_, err = r.startInstance(def, startSpec{Vars: vars, IdempotencyKey: key, StartedBy: "flow trigger " + f.TriggerID})
	return err
}
