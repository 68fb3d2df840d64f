package pubsub

import (
	"testing"
	"time"
)

func TestBackoffGrowsWithJitterUpToMax(t *testing.T) {
	b := &Broker{opts: Options{PushBackoff: Backoff{Initial: 100 * time.Millisecond, Max: time.Second, Multiplier: 3}}}
	for _, c := range []struct {
		attempt int
		full    time.Duration
	}{{1, 100 * time.Millisecond}, {2, 300 * time.Millisecond}, {3, 900 * time.Millisecond}, {4, time.Second}, {60, time.Second}} {
		for range 20 {
			if d := b.backoff(c.attempt); d < c.full/2 || d > c.full {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", c.attempt, d, c.full/2, c.full)
			}
		}
	}
}
