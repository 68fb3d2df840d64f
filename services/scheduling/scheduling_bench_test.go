package scheduling_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// racersPerSlot is how many booking attempts each slot gets: one wins, the rest are refused with 409.
const racersPerSlot = 4

// BenchmarkBooking measures booking through the real gRPC API with 8 and 64 concurrent clients racing
// racersPerSlot to a slot of one doctor, then a minimal single-row insert transaction with the same
// concurrency on the same Postgres, and reports both and their ratio. It fails on any overlap or any code
// other than OK and AlreadyExists.
//
//	go test -run '^$' -bench Booking -benchtime 2000x ./
func BenchmarkBooking(b *testing.B) {
	for _, clients := range []int{8, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchBooking(b, clients) })
	}
}

func benchBooking(b *testing.B, clients int) {
	e := start(b)
	ctx := context.Background()
	slots := freeSlots(b, e, b.N/racersPerSlot+1)
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	outcomes := map[codes.Code]int{}
	b.ResetTimer()
	elapsed := runConcurrently(clients, b.N, func() {
		i := next.Add(1) - 1
		t0 := time.Now()
		_, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask",
			StartTime: slots[int(i)/racersPerSlot], Subscriber: citizen(fmt.Sprintf("bench-%d", i))})
		d := time.Since(t0)
		mu.Lock()
		lat, outcomes[status.Code(err)] = append(lat, d), outcomes[status.Code(err)]+1
		mu.Unlock()
	})
	b.StopTimer()
	if len(outcomes) > 2 || outcomes[codes.OK] == 0 || outcomes[codes.Internal] > 0 {
		b.Fatalf("outcomes %v", outcomes)
	}
	if n := overlaps(b, e.pool); n != 0 {
		b.Fatalf("%d overlapping appointments", n)
	}
	insertElapsed := benchInserts(b, e.pool, clients, b.N)
	bookRate := float64(b.N) / elapsed.Seconds()
	insertRate := float64(b.N) / insertElapsed.Seconds()
	b.ReportMetric(bookRate, "bookings/s")
	b.ReportMetric(float64(p99(lat).Microseconds())/1000, "p99-ms")
	b.ReportMetric(insertRate, "inserts/s")
	b.ReportMetric(insertRate/bookRate, "insert/booking")
	b.Logf("clients=%d n=%d: %.0f booking calls/s (%v), p99 %v; single-row insert tx %.0f/s; outcomes %v",
		clients, b.N, bookRate, elapsed, p99(lat), insertRate, outcomes)
}

// freeSlots lists at least n free slot starts of doc-kask, in order.
func freeSlots(b *testing.B, e env, n int) []string {
	var out []string
	for from := testNow; len(out) < n; from = from.Add(30 * 24 * time.Hour) {
		r, err := e.booking.ListFreeSlots(context.Background(), &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask",
			From: from.Format(time.RFC3339), To: from.Add(30 * 24 * time.Hour).Format(time.RFC3339)})
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range r.GetSlots() {
			out = append(out, s.GetStartTime().AsTime().Format(time.RFC3339))
		}
	}
	return out
}

// runConcurrently runs op n times on clients goroutines and returns the wall time.
func runConcurrently(clients, n int, op func()) time.Duration {
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				op()
			}
		}()
	}
	wg.Wait()
	return time.Since(t0)
}

// benchInserts is the baseline: n one-row insert transactions on clients goroutines.
func benchInserts(b *testing.B, pool *pgxpool.Pool, clients, n int) time.Duration {
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_row (id uuid PRIMARY KEY)`); err != nil {
		b.Fatal(err)
	}
	return runConcurrently(clients, n, func() {
		tx, err := pool.Begin(ctx)
		if err == nil {
			_, err = tx.Exec(ctx, `INSERT INTO bench_row (id) VALUES ($1)`, uuid.New())
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			b.Error(err)
		}
	})
}

func p99(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[(len(ds)*99)/100]
}

// BenchmarkTimerLateness fires 10,000 timers due over the next 5 s on the real clock with the default
// 1 s poll and reports p99 and max lateness (fired_at − fire_at). The workload is fixed: it runs once
// whatever b.N is, so it can share a command line with -benchtime 2000x.
//
//	go test -run '^$' -bench TimerLateness -benchtime 1x ./
func BenchmarkTimerLateness(b *testing.B) {
	const timers = 10000
	for range 1 {
		pool := pgtest.NewPool(b, scheduling.Migrations()...)
		_, js := natstest.Start(b)
		svc, err := scheduling.New(scheduling.Config{}, scheduling.Deps{Pool: pool, JetStream: js, Logger: quietLog()})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := pool.Exec(ctx, `INSERT INTO timer (id, kind, fire_at, subject, reference)
SELECT gen_random_uuid(), 'deadline', now() + (i * interval '0.5 millisecond'), 'bench', 'ref-' || i
FROM generate_series(1, $1) i`, timers); err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- svc.Run(ctx) }()
		deadline := time.Now().Add(2 * time.Minute)
		for pendingCount(b, pool) > 0 {
			if time.Now().After(deadline) {
				b.Fatal("timers not fired within 2 minutes")
			}
			time.Sleep(50 * time.Millisecond) // polling interval
		}
		cancel()
		<-done
		var p99ms, maxms float64
		if err := pool.QueryRow(context.Background(), `SELECT
  percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - fire_at)) * 1000,
  max(extract(epoch FROM fired_at - fire_at)) * 1000 FROM timer`).Scan(&p99ms, &maxms); err != nil {
			b.Fatal(err)
		}
		assertFiredOnceB(b, pool, timers)
		b.ReportMetric(p99ms, "p99-late-ms")
		b.ReportMetric(maxms, "max-late-ms")
	}
}

func pendingCount(b *testing.B, pool *pgxpool.Pool) int {
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM timer WHERE fired_at IS NULL`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

func assertFiredOnceB(b *testing.B, pool *pgxpool.Pool, n int) {
	var total int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE type = $1`, scheduling.EventDeadlineReached).Scan(&total); err != nil {
		b.Fatal(err)
	}
	if total != n {
		b.Fatalf("%d events for %d timers", total, n)
	}
}
