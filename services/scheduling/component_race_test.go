package scheduling_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
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

// TestConcurrentReschedulesOnASmallPool moves 16 appointments at once on a pool of 4 connections. A
// reschedule reads the new slot's working hours and leave inside its transaction; read through the pool
// instead, each reschedule held one connection and waited for a second, so four of them took the whole
// pool and every one waited until its deadline. Through the transaction they queue and all succeed.
func TestConcurrentReschedulesOnASmallPool(t *testing.T) {
	e := startOn(t, smallPool(t, 4), nil, nil)
	const n = 16
	ids := make([]string, n)
	for i := range n {
		a, err := e.booking.BookAppointment(context.Background(), &schedulingv1.BookAppointmentRequest{ResourceId: "doc-rebane",
			StartTime: tallinn(t, 2027, 3, 31, 9, 20*i), Subscriber: citizen(fmt.Sprintf("mover-%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = a.GetAppointment().GetAppointmentId()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.booking.RescheduleAppointment(ctx, &schedulingv1.RescheduleAppointmentRequest{
				AppointmentId: ids[i], StartTime: tallinn(t, 2027, 4, 1, 9, 20*i)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("reschedule %d: %v", i, err)
		}
	}
	if n := overlaps(t, e.pool); n != 0 {
		t.Fatalf("%d overlapping appointments", n)
	}
}

// smallPool is a migrated pool on a fresh database that opens at most maxConns connections.
func smallPool(t testing.TB, maxConns int) *pgxpool.Pool {
	t.Helper()
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", strconv.Itoa(maxConns))
	u.RawQuery = q.Encode()
	ctx := context.Background()
	pool, err := pgstore.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := pgstore.Migrate(ctx, pool, scheduling.Migrations()...); err != nil {
		t.Fatal(err)
	}
	return pool
}
