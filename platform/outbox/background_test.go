package outbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
)

// RunWithRelay makes the stream itself, relays what commits, and stops everything when one worker fails.
func TestRunWithRelayMakesTheStreamRelaysAndStopsOnAWorkersError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool := pgtest.NewPool(t, outbox.Migrations)
	_, js := natstest.Start(t) // no stream yet: RunWithRelay makes it
	commit(ctx, t, pool, 3)

	broken := errors.New("the worker broke")
	fail := make(chan struct{})
	otherStopped := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- outbox.RunWithRelay(ctx, pool, js, bb, nil,
			func(ctx context.Context) error { <-fail; return broken },
			func(ctx context.Context) error { <-ctx.Done(); close(otherStopped); return nil })
	}()
	for countPending(t, pool) != 0 {
		if ctx.Err() != nil {
			t.Fatal("the relay did not publish the committed events")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := len(readStream(t, js)); got != 3 {
		t.Fatalf("the stream holds %d events, want 3", got)
	}
	close(fail)
	if err := <-done; !errors.Is(err, broken) {
		t.Fatalf("RunWithRelay returned %v, want the worker's error", err)
	}
	select {
	case <-otherStopped:
	default:
		t.Fatal("the other worker was not stopped")
	}
}

// Stopped before the stream could be made, RunWithRelay returns nil and starts nothing.
func TestRunWithRelayStoppedBeforeTheStreamReturnsNil(t *testing.T) {
	pool := pgtest.NewPool(t, outbox.Migrations)
	_, js := natstest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := outbox.RunWithRelay(ctx, pool, js, bb, nil, func(context.Context) error { ran = true; return nil }); err != nil || ran {
		t.Fatalf("err=%v ran=%v", err, ran)
	}
}
