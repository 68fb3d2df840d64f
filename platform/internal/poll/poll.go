// Package poll waits in tests for something that happens asynchronously, by polling with a deadline
// rather than sleeping for a guessed time.
package poll

import (
	"testing"
	"time"
)

// Eventually polls cond every few milliseconds until it holds, and fails t if timeout passes first.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}
