package lifecycle

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder notes when each task saw its context end and when it returned.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) note(e string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// task waits for its context, then takes a moment to finish, as a draining server does.
func (r *recorder) task(name string, finish <-chan struct{}) Task {
	return func(ctx context.Context) error {
		<-ctx.Done()
		r.note(name + " stopping")
		if finish != nil {
			<-finish
		}
		r.note(name + " stopped")
		return nil
	}
}

// A later stage is told to stop only after every task of the earlier stage has returned — even when an
// earlier task takes long to finish.
func TestStagesStopInOrder(t *testing.T) {
	var r recorder
	slow := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Stage{r.task("http", slow), r.task("http2", nil)}, Stage{r.task("grpc", nil)}, Stage{r.task("relay", nil)})
	}()
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r.mu.Lock()
		stoppingHTTP := slices.Contains(r.events, "http stopping")
		grpc := slices.Contains(r.events, "grpc stopping")
		r.mu.Unlock()
		if grpc {
			t.Fatal("the gRPC stage was told to stop while the HTTP stage was still finishing")
		}
		if stoppingHTTP {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the HTTP stage was never told to stop")
		}
		time.Sleep(time.Millisecond)
	}
	close(slow)
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	pos := func(e string) int { return slices.Index(r.events, e) }
	if !(pos("http stopped") < pos("grpc stopping") && pos("http2 stopped") < pos("grpc stopping") &&
		pos("grpc stopped") < pos("relay stopping")) {
		t.Errorf("stop order %v", r.events)
	}
}

// A task that fails stops the whole process, in order, and its error is what Run returns.
func TestAFailingTaskStopsEverything(t *testing.T) {
	var r recorder
	boom := errors.New("listener lost")
	err := Run(context.Background(),
		Stage{r.task("http", nil)},
		Stage{func(context.Context) error { return boom }},
		Stage{r.task("relay", nil)})
	if !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want %v", err, boom)
	}
	if !slices.Equal(r.events, []string{"http stopping", "http stopped", "relay stopping", "relay stopped"}) {
		t.Errorf("events %v", r.events)
	}
}

// A task that ends early without an error (a metrics listener that is switched off) stops nothing.
func TestATaskEndingWithoutErrorStopsNothing(t *testing.T) {
	var r recorder
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Stage{func(context.Context) error { return nil }}, Stage{r.task("relay", nil)})
	}()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v before its context ended", err)
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
