package inbox_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/internal/poll"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
)

// lockedBuffer is a log destination the consumer's goroutine writes while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *lockedBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// A consumer that starts before the producing BB has made its stream (every BB starts at once in govstack
// dev) waits quietly — info, not a warning an operator would chase — and consumes once the stream exists.
func TestAConsumerStartedBeforeItsStreamWaitsQuietlyThenConsumes(t *testing.T) {
	pool := setupDB(t)
	_, js := natstest.Start(t) // no stream yet
	var logs lockedBuffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- inbox.Consume(ctx, js, pool, inbox.ConsumerOptions{Stream: natsbus.StreamName(bb), Durable: "early",
			FilterSubjects: []string{eventType}, Logger: slog.New(slog.NewTextHandler(&logs, nil))}, applyEffect)
	}()
	defer func() { stop(); <-done }()

	poll.Eventually(t, 10*time.Second, "the consumer to say it waits for the stream", func() bool {
		return strings.Contains(logs.String(), "waiting for the producing building block to create its stream")
	})
	if _, err := natsbus.EnsureStream(context.Background(), js, bb); err != nil {
		t.Fatal(err)
	}
	publish(t, js, "after-the-stream", "after-the-stream")
	poll.Eventually(t, 15*time.Second, "the event to be consumed", func() bool { return effects(t, pool)["after-the-stream"] == 1 })
	if strings.Contains(logs.String(), "level=WARN") {
		t.Fatalf("a stream made a moment late was logged as a warning:\n%s", logs.String())
	}
}
