package e2e

import (
	"context"
	"errors"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A request in flight when govstack dev is told to stop (SIGTERM) is answered in full — including the call
// it makes to another BB after the stop began: Registration's buyer registration asks Registries, through
// the IM's gRPC front door, whether the e-mail's domain is approved. The request is held inside Registration
// (its Idempotency-Key claim waits on a table lock) until the REST front door has stopped accepting; the IM's
// gRPC front door and Registries must still serve the call it then makes.
func TestARequestInFlightAtStopCompletes(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.databaseURL(t, "registration"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	lock, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback(ctx) }()
	if _, err := lock.Exec(ctx, `LOCK TABLE idempotency_key IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	answer := make(chan response, 1)
	go func() {
		answer <- s.do(t, "POST", "/accounts/buyers", `{"email":"inflight@moj.gov.example","name":"Jane Doe","organisation":"Ministry of Justice"}`,
			map[string]string{"Idempotency-Key": "in-flight-at-stop"})
	}()
	waitForLockWaiter(t, conn)

	stopped := make(chan error, 1)
	go func() { stopped <- s.stop() }()
	waitRefused(t, s.url)
	if err := lock.Rollback(ctx); err != nil { // the request goes on
		t.Fatal(err)
	}
	select {
	case r := <-answer:
		expect(t, r, 200, `"message"`)
	case <-time.After(30 * time.Second):
		t.Fatal("the request in flight at stop was not answered")
	}
	if err := <-stopped; err != nil {
		t.Errorf("the stack stopped with %v", err)
	}
}

// waitForLockWaiter waits until a session of the BB waits for the lock conn's transaction holds.
func waitForLockWaiter(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var waiting int
		err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			WHERE c.relname = 'idempotency_key' AND NOT l.granted`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the request never reached Registration's idempotency claim")
}

// waitRefused waits until the gateway's REST listener refuses new connections: the stop has begun.
func waitRefused(t *testing.T, base string) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if errors.Is(err, syscall.ECONNREFUSED) {
			return
		}
		if c != nil {
			_ = c.Close()
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the REST listener still accepts connections after the stop")
}
