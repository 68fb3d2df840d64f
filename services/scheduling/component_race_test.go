package scheduling_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
)

// TestConcurrentBookingsNeverOverlap races many clients through the real gRPC API for a few slots: each
// slot is won once, every loser gets AlreadyExists (409 at the gateway), nothing is Internal, and the
// database holds no overlapping active appointments.
func TestConcurrentBookingsNeverOverlap(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	slots := []string{tallinn(t, 2027, 3, 31, 9, 0), tallinn(t, 2027, 3, 31, 9, 20), tallinn(t, 2027, 3, 31, 9, 40), tallinn(t, 2027, 3, 31, 10, 0)}
	const clients = 32
	var mu sync.Mutex
	codesSeen := map[codes.Code]int{}
	won := map[string]int{}
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slot := slots[i%len(slots)]
			_, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-rebane",
				StartTime: slot, Subscriber: citizen(fmt.Sprintf("racer-%d", i))})
			mu.Lock()
			defer mu.Unlock()
			codesSeen[status.Code(err)]++
			if err == nil {
				won[slot]++
			}
		}()
	}
	wg.Wait()
	if codesSeen[codes.OK] != len(slots) || codesSeen[codes.AlreadyExists] != clients-len(slots) {
		t.Fatalf("outcomes %v: want %d OK and %d AlreadyExists", codesSeen, len(slots), clients-len(slots))
	}
	for _, s := range slots {
		if won[s] != 1 {
			t.Errorf("slot %s won %d times", s, won[s])
		}
	}
	if n := overlaps(t, e.pool); n != 0 {
		t.Fatalf("%d overlapping appointments", n)
	}
}
