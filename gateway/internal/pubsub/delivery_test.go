package pubsub_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
)

func TestPushRetriesWithBackoffThenDelivers(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.createBirthType()
	rc := newReceiver(t, 500, 502, 200)
	rc.subscribe(e, subscriber)

	id := e.publish(birth)
	var body []byte
	select {
	case body = <-rc.bodies:
	case <-time.After(20 * time.Second):
		t.Fatal("the event never reached the subscriber")
	}
	if !strings.Contains(string(body), id) || !strings.Contains(string(body), "Jane Doe") {
		t.Errorf("pushed body lacks the event: %s", body)
	}
	calls := []time.Time{<-rc.calls, <-rc.calls, <-rc.calls}
	// The first retry waits at least half the initial backoff (jitter takes off up to half).
	if gap := calls[1].Sub(calls[0]); gap < 25*time.Millisecond {
		t.Errorf("retry came after %s, before the backoff", gap)
	}
	eventually(t, "the status says delivered", func() bool {
		d := e.status(id).Deliveries
		return len(d) == 1 && d[0].Status == "delivered" && d[0].Attempts == 3
	})
	rows, err := e.pool.Query(t.Context(), `SELECT attempt, status_code, error IS NOT NULL FROM im_pubsub_attempt
		WHERE event_id = $1 ORDER BY attempt`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := []int{500, 502, 200}
	var i int
	for ; rows.Next(); i++ {
		var n, code int
		var failed bool
		if err := rows.Scan(&n, &code, &failed); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || n != i+1 || code != want[i] || failed != (code != 200) {
			t.Errorf("attempt row %d = (%d, %d, %v)", i, n, code, failed)
		}
	}
	if i != 3 {
		t.Errorf("%d attempts logged, want 3", i)
	}
}

func TestPushDroppedAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	e := start(t, nil) // MaxPushAttempts 3
	e.createBirthType()
	rc := newReceiver(t, 503)
	rc.subscribe(e, subscriber)

	id := e.publish(birth)
	eventually(t, "the event is dropped", func() bool {
		d := e.status(id).Deliveries
		return len(d) == 1 && d[0].Status == "dropped"
	})
	d := e.status(id).Deliveries[0]
	if d.Attempts != 3 || d.LastStatusCode == nil || *d.LastStatusCode != 503 || d.LastError == nil {
		t.Errorf("dropped delivery = %+v, want 3 attempts ending in 503", d)
	}
	if len(rc.calls) != 3 {
		t.Errorf("subscriber called %d times, want 3", len(rc.calls))
	}
}

func TestPullAckAndRedelivery(t *testing.T) {
	t.Parallel()
	e := start(t, nil) // PullAckWait 1s
	e.createBirthType()
	subs := roomPath + "/api/v1/subs/newBirth"
	pull := roomPath + "/pull/v1/newBirth"
	e.must(http.StatusOK, "POST", subs, subscriber, `{"eventType": "newBirth", "delivery": "PULL"}`)
	e.must(http.StatusNotFound, "GET", pull, subscriber, "")
	e.must(http.StatusNotFound, "GET", pull, other, "") // no subscription

	first, second := e.publish(birth), e.publish(birth)
	var item struct{ ID, EventType string }
	decode(t, e.must(http.StatusOK, "GET", pull, subscriber, ""), &item)
	if item.ID != first || item.EventType != "newBirth" {
		t.Fatalf("pulled %+v, want %s", item, first)
	}
	e.must(http.StatusNoContent, "DELETE", pull+"/"+first, subscriber, "")
	e.must(http.StatusNotFound, "DELETE", pull+"/"+first, subscriber, "") // acknowledged already

	decode(t, e.must(http.StatusOK, "GET", pull+"?wait=1", subscriber, ""), &item)
	if item.ID != second {
		t.Fatalf("pulled %s, want %s", item.ID, second)
	}
	// Not acknowledged: it comes back once the ack wait has passed, and never the acknowledged one.
	eventually(t, "the unacknowledged event is redelivered", func() bool {
		code, out := e.do("GET", pull, subscriber, "")
		if code == http.StatusOK {
			decode(t, out, &item)
			return true
		}
		return false
	})
	if item.ID != second {
		t.Fatalf("redelivered %s, want %s", item.ID, second)
	}
	d := e.status(second).Deliveries
	if len(d) != 1 || d[0].Status != "pending" || d[0].Attempts != 2 {
		t.Errorf("status of a pulled, unacknowledged event = %+v", d)
	}
	e.must(http.StatusNoContent, "DELETE", pull+"/"+second, subscriber, "")
	if d := e.status(second).Deliveries; d[0].Status != "delivered" {
		t.Errorf("status after ack = %+v", d)
	}

	// A restarted gateway (a new Broker on the same Postgres and NATS) neither loses nor redelivers.
	third := e.publish(birth)
	restarted := e.serve(e.opts)
	_, out := e.doAt(restarted, "GET", pull+"?wait=2", subscriber, "")
	decode(t, out, &item)
	if item.ID != third {
		t.Fatalf("after restart pulled %s, want %s", item.ID, third)
	}
	e.must(http.StatusNoContent, "DELETE", pull+"/"+third, subscriber, "")
	e.must(http.StatusNotFound, "GET", pull, subscriber, "")
	e.must(http.StatusNotFound, "GET", pull+"?wait=1", subscriber, "")
	e.must(http.StatusBadRequest, "GET", pull+"?wait=99", subscriber, "")
}

func TestRevokedSubscriberGetsNoMorePushes(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.createBirthType()
	rc := newReceiver(t, 200)
	rc.subscribe(e, subscriber)
	e.revoked.Store(subscriber, true)

	id := e.publish(birth)
	eventually(t, "the event is dropped for the revoked subscriber", func() bool {
		d := e.status(id).Deliveries
		return len(d) == 1 && d[0].Status == "dropped" && d[0].LastError != nil &&
			strings.Contains(*d[0].LastError, "no longer")
	})
	if len(rc.calls) != 0 {
		t.Errorf("a revoked subscriber was called %d times", len(rc.calls))
	}
}

func TestExpiredEventIsNotPulled(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.createBirthType()
	e.must(http.StatusOK, "POST", roomPath+"/api/v1/subs/newBirth", subscriber,
		`{"delivery": "PULL", "options": {"TTL": 1}}`)
	id := e.publish(birth)
	// The TTL is the behaviour under test, so time has to pass here.
	time.Sleep(1200 * time.Millisecond)
	e.must(http.StatusNotFound, "GET", roomPath+"/pull/v1/newBirth", subscriber, "")
	d := e.status(id).Deliveries
	if len(d) != 1 || d[0].Status != "dropped" || d[0].LastError == nil || !strings.Contains(*d[0].LastError, "TTL") {
		t.Errorf("expired delivery = %+v", d)
	}
}

func TestDeleteEventTypeRemovesItsSubscriptions(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.createBirthType()
	var s struct{ ID string }
	decode(t, e.must(http.StatusOK, "POST", roomPath+"/api/v1/subs/newBirth", subscriber, `{"delivery": "PULL"}`), &s)
	e.publish(birth)
	e.must(http.StatusNoContent, "DELETE", roomPath+"/api/v1/eventType/newBirth", manager, "")
	e.must(http.StatusNotFound, "GET", roomPath+"/api/v1/subs/newBirth", subscriber, "")
	if _, err := e.js.Consumer(t.Context(), pubsub.StreamName, "im_pubsub_"+s.ID); err == nil {
		t.Error("the consumer of the deleted type's subscription still exists")
	}
	e.createBirthType() // a new type of the same name starts empty
	e.must(http.StatusOK, "POST", roomPath+"/api/v1/subs/newBirth", subscriber, `{"delivery": "PULL"}`)
	e.must(http.StatusNotFound, "GET", roomPath+"/pull/v1/newBirth", subscriber, "")
}

func TestPushResumesAfterRestartWithoutRedelivery(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.createBirthType()
	rc := newReceiver(t, 200)
	rc.subscribe(e, subscriber)

	first := e.publish(birth)
	if body := rc.next(t); !strings.Contains(string(body), first) {
		t.Fatalf("pushed %s, want %s", body, first)
	}
	eventually(t, "the first event is delivered", func() bool {
		d := e.status(first).Deliveries
		return len(d) == 1 && d[0].Status == "delivered"
	})
	e.stop() // the gateway goes down with deliveries...
	second := e.publish(birth)
	e.serve(e.opts) // ...and comes back: the second event arrives, the first (acknowledged) does not again.
	if body := rc.next(t); !strings.Contains(string(body), second) {
		t.Fatalf("after restart pushed %s, want %s", body, second)
	}
	eventually(t, "the second event is delivered", func() bool {
		d := e.status(second).Deliveries
		return len(d) == 1 && d[0].Status == "delivered" && d[0].Attempts == 1
	})
}

func TestFIFOPullHoldsBackUntilAck(t *testing.T) {
	t.Parallel()
	e := start(t, func(o *pubsub.Options) { o.PullAckWait = time.Minute }) // no redelivery during the test
	e.createBirthType()
	pull := roomPath + "/pull/v1/newBirth"
	e.must(http.StatusOK, "POST", roomPath+"/api/v1/subs/newBirth", subscriber, `{"delivery": "PULL", "options": {"FIFO": true}}`)
	first, second := e.publish(birth), e.publish(birth)
	var item struct{ ID string }
	decode(t, e.must(http.StatusOK, "GET", pull, subscriber, ""), &item)
	if item.ID != first {
		t.Fatalf("pulled %s, want %s", item.ID, first)
	}
	e.must(http.StatusNotFound, "GET", pull, subscriber, "") // the second waits for the first's ack
	e.must(http.StatusNoContent, "DELETE", pull+"/"+first, subscriber, "")
	decode(t, e.must(http.StatusOK, "GET", pull+"?wait=2", subscriber, ""), &item)
	if item.ID != second {
		t.Fatalf("pulled %s, want %s", item.ID, second)
	}
}
