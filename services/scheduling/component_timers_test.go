package scheduling_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// TestReminderFiresOnceAndFollowsReschedule books an appointment, lets the clock pass 24 h before it and
// checks one alert.fired reminder with the appointment in it; a cancelled appointment's reminder never fires.
func TestReminderFiresOnceAndFollowsReschedule(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	r, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-mets",
		StartTime: tallinn(t, 2027, 4, 1, 9, 0), Subscriber: citizen("kid")})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-mets",
		StartTime: tallinn(t, 2027, 4, 1, 9, 20), Subscriber: citizen("other")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.booking.CancelAppointment(ctx, &schedulingv1.CancelAppointmentRequest{AppointmentId: other.GetAppointment().GetAppointmentId()}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(r.GetAppointment().GetStartTime().AsTime().Add(-23 * time.Hour))
	ev := lastEvent(t, e.js, scheduling.EventAlertFired, nil)
	id := r.GetAppointment().GetAppointmentId()
	if pointer(ev, "/kind") != "appointment_reminder" || pointer(ev, "/appointment/appointmentId") != id ||
		pointer(ev, "/recipients/0") == nil || pointer(ev, "/appointment/subscriber/email") != "kid@example.org" {
		t.Errorf("reminder %v", ev)
	}
	testkit.Eventually(t, 10*time.Second, "all due timers fired", func() error {
		return pendingDue(e.pool, e.clock.Now())
	})
	if n := outboxCount(t, e.pool, scheduling.EventAlertFired); n != 1 {
		t.Errorf("%d reminders in the outbox, want 1 (the cancelled appointment's must not fire)", n)
	}
}

func TestDeadlineAPI(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	_, err := e.deadlines.SetDeadline(ctx, &schedulingv1.SetDeadlineRequest{Subject: "tender.closing"})
	testkit.WantViolation(t, err, "due_at")
	d, err := e.deadlines.SetDeadline(ctx, &schedulingv1.SetDeadlineRequest{Subject: "tender.closing", Reference: "tender-42",
		DueAt: timestamppb.New(testNow.Add(time.Hour)), Recipients: []*schedulingv1.Recipient{{Email: "buyer@example.org"}}})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, err := e.deadlines.SetDeadline(ctx, &schedulingv1.SetDeadlineRequest{Subject: "tender.closing", Reference: "tender-43",
		DueAt: timestamppb.New(testNow.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.deadlines.CancelDeadline(ctx, &schedulingv1.CancelDeadlineRequest{DeadlineId: cancelled.GetDeadline().GetDeadlineId()}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(testNow.Add(2 * time.Hour))
	ev := lastEvent(t, e.js, scheduling.EventDeadlineReached, nil)
	if pointer(ev, "/deadlineId") != d.GetDeadline().GetDeadlineId() || pointer(ev, "/reference") != "tender-42" ||
		pointer(ev, "/subject") != "tender.closing" || pointer(ev, "/recipients/0/email") != "buyer@example.org" ||
		pointer(ev, "/dueAt") != testNow.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("deadline event %v", ev)
	}
	testkit.Eventually(t, 10*time.Second, "deadline fired", func() error { return pendingDue(e.pool, e.clock.Now()) })
	_, err = e.deadlines.CancelDeadline(ctx, &schedulingv1.CancelDeadlineRequest{DeadlineId: d.GetDeadline().GetDeadlineId()})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	if n := outboxCount(t, e.pool, scheduling.EventDeadlineReached); n != 1 {
		t.Errorf("%d deadline events, want 1", n)
	}
}

// TestTwoReplicasFireEachTimerOnce runs two services' Run loops on one database over many due timers.
func TestTwoReplicasFireEachTimerOnce(t *testing.T) {
	e := start(t)
	const n = 300
	addDeadlines(t, e.pool, n)
	second := replica(t, e.pool)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- second.Run(ctx) }()
	testkit.Eventually(t, 30*time.Second, "all timers fired", func() error { return pendingDue(e.pool, e.clock.Now()) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	assertFiredOnce(t, e.pool, n)
}

// TestKilledRunFiresLateNotTwice cancels Run while timers are due (a crash: the open transaction rolls
// back), restarts it and checks every timer fired exactly once.
func TestKilledRunFiresLateNotTwice(t *testing.T) {
	e := start(t) // its own Run keeps going too: a second replica that survives the crash
	const n = 400
	pool := e.pool
	addDeadlines(t, pool, n)
	victim := replica(t, pool)
	ctx, kill := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = victim.Run(ctx) }()
	testkit.Eventually(t, 30*time.Second, "some timers fired", func() error {
		if fired(t, pool) == 0 {
			return fmt.Errorf("none fired yet")
		}
		return nil
	})
	kill()
	wg.Wait()
	restarted := replica(t, pool)
	ctx2, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { _ = restarted.Run(ctx2) }()
	testkit.Eventually(t, 30*time.Second, "all timers fired after the restart", func() error { return pendingDue(pool, e.clock.Now()) })
	assertFiredOnce(t, pool, n)
}

// replica is a second Service on the same database (and a NATS of its own: only the outbox matters here).
func replica(t *testing.T, pool *pgxpool.Pool) *scheduling.Service {
	t.Helper()
	_, js := natstest.Start(t)
	svc, err := scheduling.New(testConfig(), scheduling.Deps{Pool: pool, JetStream: js, Logger: quietLog(),
		Now: func() time.Time { return testNow.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// addDeadlines inserts n deadlines due at testNow (so both replicas' clocks see them due).
func addDeadlines(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `INSERT INTO timer (id, kind, fire_at, subject, reference)
SELECT gen_random_uuid(), 'deadline', $1, 'load', 'ref-' || i FROM generate_series(1, $2) i`, testNow, n); err != nil {
		t.Fatal(err)
	}
}

func pendingDue(pool *pgxpool.Pool, now time.Time) error {
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM timer WHERE fired_at IS NULL AND cancelled_at IS NULL AND fire_at <= $1`, now).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d due timers not fired", n)
	}
	return nil
}

func fired(t *testing.T, pool *pgxpool.Pool) int {
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM timer WHERE fired_at IS NOT NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func outboxCount(t *testing.T, pool *pgxpool.Pool, typ string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE type = $1`, typ).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// assertFiredOnce checks n deadline.reached events, one per timer, in the outbox.
func assertFiredOnce(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	var total, distinct int
	if err := pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT subject) FROM outbox WHERE type = $1`,
		scheduling.EventDeadlineReached).Scan(&total, &distinct); err != nil {
		t.Fatal(err)
	}
	if total != n || distinct != n {
		t.Fatalf("%d deadline events for %d distinct references, want %d each", total, distinct, n)
	}
}
