package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/internal/poll"
	"github.com/govstackbb/marketplace/platform/outbox"
)

// BenchmarkOutboxRelay measures relay throughput: events per second from committed row to JetStream ack and
// published_at mark. b.N events are committed first, with the clock stopped and in large transactions —
// committing them from concurrent writers measures Postgres's fsync rate instead (about 2,500 events/s on a
// 2-CPU machine with 10 events per transaction, an order of magnitude below the relay). Then the relays
// start and the clock runs until the last row is marked. Compare relays=1 with relays=2 in the same run.
func BenchmarkOutboxRelay(b *testing.B) {
	for _, relays := range []int{1, 2} {
		b.Run(fmt.Sprintf("relays=%d", relays), func(b *testing.B) {
			ctx := context.Background()
			e := setup(b)
			for left := b.N; left > 0; left -= 1000 {
				commit(ctx, b, e.pool, min(left, 1000))
			}

			runCtx, stop := context.WithCancel(ctx)
			var running sync.WaitGroup
			defer func() { stop(); running.Wait() }()
			b.ResetTimer()
			start := time.Now()
			for range relays {
				running.Go(func() {
					_ = outbox.NewRelay(e.pool, e.js, outbox.RelayOptions{BatchSize: 200}).Run(runCtx)
				})
			}
			poll.Eventually(b, 5*time.Minute, "all events published", func() bool { return countPending(b, e.pool) == 0 })
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
		})
	}
}
