package rail_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// BenchmarkInstructionsThroughTheSimulator measures instructions per second through the client and the
// simulator over loopback HTTP, 16 concurrent submitters: polling only, with callbacks, and under the
// chaos faults with every instruction carried to its final state (Status and re-sends included).
func BenchmarkInstructionsThroughTheSimulator(b *testing.B) {
	for _, c := range []struct {
		name      string
		faults    railsim.Faults
		callbacks bool
		settle    bool
	}{
		{name: "submit, polling"},
		{name: "submit, callbacks", callbacks: true},
		{name: "to final state under chaos", faults: chaosFaults, callbacks: true, settle: true},
	} {
		b.Run(c.name, func(b *testing.B) {
			co := fastClient()
			co.AttemptTimeout, co.MaxAttempts = 2*time.Second, 1
			if c.settle {
				co.AttemptTimeout = 250 * time.Millisecond // the time-out faults hold a request until the client gives up
			}
			r := newRig(b, railsim.Options{Seed: 9, Faults: c.faults, MaxDelay: 5 * time.Millisecond}, co)
			// A client of its own: the rig's records every answer, which a benchmark should not pay for.
			co.BaseURL = r.base
			if c.callbacks {
				co.CallbackURL = r.cb.url
			}
			client, err := rail.NewMobileMoney(co)
			if err != nil {
				b.Fatal(err)
			}
			var seq atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					in := instruction(fmt.Sprintf("bench-%d", seq.Add(1)), 12345, "KES")
					res, err := client.Submit(context.Background(), in)
					if c.settle && (err != nil || !res.State.Final()) {
						_, err = settleBy(client, in, time.Now().Add(30*time.Second))
					}
					if err != nil && c.faults == (railsim.Faults{}) {
						b.Error(err)
					}
				}
			})
			waitForCallbacks(b, r.sim) // the callbacks are part of the work measured
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "instructions/s")
		})
	}
}

func waitForCallbacks(b *testing.B, sim *railsim.Sim) {
	deadline := time.Now().Add(time.Minute)
	for sim.Totals().Callbacks.Outstanding > 0 {
		if time.Now().After(deadline) {
			b.Fatal("callbacks still outstanding after a minute")
		}
		time.Sleep(time.Millisecond) // the polling interval
	}
}
