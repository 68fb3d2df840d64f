package rail_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// chaosFaults are the chaos run (5% lost and 5% duplicated callbacks, 2% time-outs) with a little
// of every other fault on top.
var chaosFaults = railsim.Faults{CallbackLost: 0.05, CallbackDuplicate: 0.05, Timeout: 0.02,
	CallbackReorder: 0.05, ErrorBeforeAccept: 0.01, ErrorAfterAccept: 0.01, Delay: 0.05,
	InsufficientFunds: 0.01, UnknownAccount: 0.005}

// TestChaosReconcilesToTheCent sends 2,000 instructions from 16 concurrent submitters through the chaos
// faults, reconciles every one the client did not see final by Status (re-sending under the same id what
// the rail never got), and then the rail's totals equal, per currency and to the minor unit, the sum of
// the instructions the client saw SETTLED — with no instruction paid twice.
func TestChaosReconcilesToTheCent(t *testing.T) {
	co := fastClient()
	// One attempt per call: the client gives up at the first fault, so reconciliation, not the client's
	// own retries, has to resolve every doubt.
	co.AttemptTimeout, co.MaxAttempts = 250*time.Millisecond, 1
	r := newRig(t, railsim.Options{Seed: 2026, SettleDelay: 2 * time.Millisecond, MaxDelay: 5 * time.Millisecond,
		ReorderDelay: 20 * time.Millisecond, Faults: chaosFaults}, co)
	ins := chaosInstructions(2000)
	submitted := make([]error, len(ins))
	parallel(16, len(ins), func(i int) { _, submitted[i] = r.client.Submit(context.Background(), ins[i]) })
	for i, in := range ins {
		if inDoubt, unknown := errors.Is(submitted[i], rail.ErrInDoubt), !anyDefinite(r.seen.statuses(in.ID)); inDoubt != unknown {
			t.Fatalf("%s: ErrInDoubt = %v, the answers received %v", in.ID, inDoubt, r.seen.statuses(in.ID))
		}
	}

	finals := make([]rail.Result, len(ins))
	var mu sync.Mutex
	var failures []error
	deadline := time.Now().Add(60 * time.Second)
	parallel(16, len(ins), func(i int) {
		res, err := settleBy(r.client, ins[i], deadline)
		finals[i] = res
		if err != nil {
			mu.Lock()
			failures = append(failures, err)
			mu.Unlock()
		}
	})
	if len(failures) > 0 {
		t.Fatalf("%d instructions not reconciled, e.g. %v", len(failures), failures[0])
	}
	checkRailTotals(t, r.sim, ins, finals)
	checkCallbacksMatch(t, r, ins, finals)
	checkChaosHappened(t, r.sim, submitted)
}

// chaosInstructions are n payments of seeded amounts in currencies of 0, 2 and 3 decimals.
func chaosInstructions(n int) []rail.Instruction {
	rng := rand.New(rand.NewPCG(2026, 16))
	currencies := []string{"KES", "UGX", "BHD"}
	ins := make([]rail.Instruction, n)
	for i := range ins {
		ins[i] = instruction(fmt.Sprintf("chaos-%04d", i), 1+rng.Int64N(5_000_000), currencies[i%3])
	}
	return ins
}

// parallel runs f(0..n-1) on the given number of goroutines.
func parallel(workers, n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// checkRailTotals: per currency, what the rail paid is what the client saw settled, to the minor unit, and
// each settled instruction was paid exactly once, each failed one never.
func checkRailTotals(t *testing.T, sim *railsim.Sim, ins []rail.Instruction, finals []rail.Result) {
	t.Helper()
	sum, count := map[string]int64{}, map[string]int{}
	for i, in := range ins {
		if finals[i].State == rail.StateSettled {
			sum[in.Currency] += in.Amount
			count[in.Currency]++
		}
		if want, got := boolInt(finals[i].State == rail.StateSettled), sim.PaidCount(in.ID); got != want {
			t.Fatalf("%s: paid %d times at the rail, client saw %s", in.ID, got, finals[i].State)
		}
	}
	tot := sim.Totals()
	for c, ct := range tot.Currencies {
		if ct.PaidMinor != sum[c] || ct.PaidCount != count[c] || ct.PendingCount != 0 {
			t.Fatalf("%s: the rail paid %d minor units in %d payments (%d pending); the client saw %d in %d",
				c, ct.PaidMinor, ct.PaidCount, ct.PendingCount, sum[c], count[c])
		}
	}
	if tot.DoublePayments != 0 || len(tot.Currencies) != 3 || tot.Instructions != len(ins) {
		t.Fatalf("totals %+v", tot)
	}
	t.Logf("reconciled: %d KES, %d UGX, %d BHD payments; %d requests, %d replays; faults %v; callbacks %+v",
		count["KES"], count["UGX"], count["BHD"], tot.Requests, tot.Replays, tot.Faults, tot.Callbacks)
}

// checkCallbacksMatch: once every callback is out, each one received says what reconciliation found.
func checkCallbacksMatch(t *testing.T, r *rig, ins []rail.Instruction, finals []rail.Result) {
	t.Helper()
	checkCallbacks(t, r, nil, 0)
	for i, in := range ins {
		for _, cb := range r.cb.results(in.ID) {
			if cb.State != finals[i].State {
				t.Fatalf("%s: callback %+v, reconciled %+v", in.ID, cb, finals[i])
			}
		}
	}
}

// checkChaosHappened makes sure the run met the faults it is about, so it cannot pass by being gentle.
func checkChaosHappened(t *testing.T, sim *railsim.Sim, submitted []error) {
	t.Helper()
	inDoubt := 0
	for _, err := range submitted {
		if errors.Is(err, rail.ErrInDoubt) {
			inDoubt++
		}
	}
	tot := sim.Totals()
	if inDoubt == 0 || tot.Faults["timeout"] == 0 || tot.Callbacks.Lost == 0 || tot.Callbacks.Duplicated == 0 {
		t.Fatalf("the chaos was too gentle: %d in doubt, faults %v, callbacks %+v", inDoubt, tot.Faults, tot.Callbacks)
	}
	t.Logf("%d submissions in doubt", inDoubt)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
