package rail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// TestEveryFaultTypeAtTheRail submits instructions while the simulator injects one fault at a time, then
// reconciles them by Status the way the BB's reconciliation job does, and checks what the client said,
// what the rail paid and which callbacks came.
func TestEveryFaultTypeAtTheRail(t *testing.T) {
	cases := []struct {
		name       string
		faults     railsim.Faults
		submitErr  error      // what Submit returns (nil: PENDING or SETTLED)
		unknownYet bool       // Status says the rail never got it, until it is re-sent
		final      rail.State // after reconciliation
		reason     string     // in the final result's reason
		callbacks  int        // per instruction
		attempt    time.Duration
	}{
		{name: "no fault", final: rail.StateSettled, callbacks: 1},
		{name: "delay", faults: railsim.Faults{Delay: 1}, final: rail.StateSettled, callbacks: 1},
		{name: "unknown account", faults: railsim.Faults{UnknownAccount: 1}, submitErr: rail.ErrUnknownAccount,
			final: rail.StateFailed, reason: "identification/identifierError"},
		{name: "insufficient funds", faults: railsim.Faults{InsufficientFunds: 1}, final: rail.StateFailed,
			reason: "businessRule/insufficientFunds", callbacks: 1},
		{name: "5xx before accepting", faults: railsim.Faults{ErrorBeforeAccept: 1}, submitErr: rail.ErrInDoubt,
			unknownYet: true, final: rail.StateSettled, callbacks: 1},
		{name: "5xx after accepting", faults: railsim.Faults{ErrorAfterAccept: 1}, submitErr: rail.ErrInDoubt,
			final: rail.StateSettled, callbacks: 1},
		{name: "time-out", faults: railsim.Faults{Timeout: 1}, submitErr: rail.ErrInDoubt, final: rail.StateSettled,
			callbacks: 1, attempt: 100 * time.Millisecond},
		{name: "callback lost", faults: railsim.Faults{CallbackLost: 1}, final: rail.StateSettled},
		{name: "callback duplicated", faults: railsim.Faults{CallbackDuplicate: 1}, final: rail.StateSettled, callbacks: 2},
		{name: "callback out of order", faults: railsim.Faults{CallbackReorder: 1}, final: rail.StateSettled, callbacks: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			co := fastClient()
			if c.attempt > 0 {
				co.AttemptTimeout = c.attempt
			}
			r := newRig(t, railsim.Options{Seed: 7, Faults: c.faults, SettleDelay: 10 * time.Millisecond,
				MaxDelay: 20 * time.Millisecond}, co)
			ctx := context.Background()
			ins := []rail.Instruction{instruction("f-1", 12345, "KES"), instruction("f-2", 700, "UGX"), instruction("f-3", 1500, "BHD")}
			for _, in := range ins {
				res, err := r.client.Submit(ctx, in)
				checkSubmit(t, r, in, res, err, c.submitErr)
			}
			// The transport faults end; what the rail decided about the instructions stands.
			f := c.faults
			if err := r.sim.SetFaults(railsim.Faults{UnknownAccount: f.UnknownAccount, InsufficientFunds: f.InsufficientFunds,
				CallbackLost: f.CallbackLost, CallbackDuplicate: f.CallbackDuplicate, CallbackReorder: f.CallbackReorder}); err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				if _, err := r.client.Status(ctx, in.ID); c.unknownYet != errors.Is(err, rail.ErrUnknownInstruction) {
					t.Fatalf("%s: Status before reconciliation = %v, want unknown at the rail: %v", in.ID, err, c.unknownYet)
				}
				final := reconcile(t, r.client, in)
				if final.State != c.final || !strings.Contains(final.Reason, c.reason) {
					t.Fatalf("%s: reconciled to %+v, want %s (%s)", in.ID, final, c.final, c.reason)
				}
				checkPaidOnce(t, r.sim, in, final)
			}
			checkCallbacks(t, r, ins, c.callbacks)
		})
	}
}

// checkSubmit checks Submit's answer against what the rail actually answered.
func checkSubmit(t *testing.T, r *rig, in rail.Instruction, res rail.Result, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: Submit = %+v, %v; want %v", in.ID, res, err, want)
	}
	if inDoubt, unknown := errors.Is(err, rail.ErrInDoubt), !anyDefinite(r.seen.statuses(in.ID)); inDoubt != unknown {
		t.Fatalf("%s: ErrInDoubt = %v, but the answers received %v (the rail sent %v) leave the outcome unknown = %v",
			in.ID, inDoubt, r.seen.statuses(in.ID), r.sim.Answers(in.ID), unknown)
	}
	if res.State == rail.StateFailed && !errors.Is(err, rail.ErrRejected) {
		t.Fatalf("%s: FAILED without a rejection: %v", in.ID, err)
	}
	if err == nil && res.State != rail.StatePending && res.State != rail.StateSettled {
		t.Fatalf("%s: Submit = %+v", in.ID, res)
	}
}

// anyDefinite reports whether one of the answers to a POST told the client what happened: a 2xx or a 4xx
// other than 408 and 429.
func anyDefinite(statuses []int) bool {
	for _, s := range statuses {
		if s >= 200 && s < 500 && s != 408 && s != 429 {
			return true
		}
	}
	return false
}

// reconcile polls Status until the instruction is final, re-sending it under the same id while the rail
// has never heard of it — what the BB's reconciliation job does with an in-doubt instruction.
func reconcile(t testing.TB, c rail.Rail, in rail.Instruction) rail.Result {
	t.Helper()
	final, err := settleBy(c, in, time.Now().Add(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return final
}

// settleBy is reconcile for any goroutine: the final result, or why there is none by the deadline.
func settleBy(c rail.Rail, in rail.Instruction, deadline time.Time) (rail.Result, error) {
	ctx := context.Background()
	for {
		res, err := c.Status(ctx, in.ID)
		switch {
		case errors.Is(err, rail.ErrUnknownInstruction):
			_, err = c.Submit(ctx, in)
			err = fmt.Errorf("unknown at the rail, re-sent under the same id (%v)", err)
		case err == nil && !res.State.Final():
			err = fmt.Errorf("still %s", res.State)
		case err == nil:
			return res, nil
		}
		if time.Now().After(deadline) {
			return rail.Result{}, fmt.Errorf("instruction %s not final at the rail by the deadline: %w", in.ID, err)
		}
		time.Sleep(10 * time.Millisecond) // the polling interval, not synchronisation
	}
}

// checkPaidOnce checks the rail paid a settled instruction exactly once and a failed one never.
func checkPaidOnce(t testing.TB, sim *railsim.Sim, in rail.Instruction, final rail.Result) {
	t.Helper()
	want := 0
	if final.State == rail.StateSettled {
		want = 1
	}
	if got := sim.PaidCount(in.ID); got != want {
		t.Fatalf("%s: the rail paid it %d times, want %d (final %s)", in.ID, got, want, final.State)
	}
	if d := sim.Totals().DoublePayments; d != 0 {
		t.Fatalf("%d double payments at the rail", d)
	}
}

// checkCallbacks waits until the simulator has sent every callback, then checks each instruction got
// the expected number, each saying what Status says.
func checkCallbacks(t *testing.T, r *rig, ins []rail.Instruction, want int) {
	t.Helper()
	testkit.Eventually(t, 10*time.Second, "callbacks sent", func() error {
		if n := r.sim.Totals().Callbacks.Outstanding; n != 0 {
			return fmt.Errorf("%d callbacks outstanding", n)
		}
		return nil
	})
	for _, in := range ins {
		got := r.cb.results(in.ID)
		if len(got) != want {
			t.Fatalf("%s: %d callbacks, want %d", in.ID, len(got), want)
		}
		status, err := r.client.Status(context.Background(), in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cb := range got {
			if cb.State != status.State || cb.RailRef != "" && status.State == rail.StateSettled && cb.RailRef != status.RailRef {
				t.Fatalf("%s: callback %+v disagrees with status %+v", in.ID, cb, status)
			}
		}
	}
	if n := r.cb.badCount(); n != 0 {
		t.Fatalf("%d callbacks could not be parsed", n)
	}
}
