package pubsub

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// maxPullWait bounds ?wait=, the seconds a pull may wait for an event to arrive (long polling).
const maxPullWait = 30

// pullSkips bounds how many cancelled or expired events one pull settles before giving up for this call.
const pullSkips = 100

func (b *Broker) pull(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	wait, err := pullWait(r)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	s, ok := b.pullSub(w, r, c)
	if !ok {
		return
	}
	cons, err := b.opts.JetStream.Consumer(r.Context(), s.Stream, s.Consumer)
	if err != nil {
		b.internal(w, r, "open consumer", err)
		return
	}
	for range pullSkips {
		msg, err := next(cons, wait)
		if err != nil {
			b.internal(w, r, "pull", err)
			return
		}
		if msg == nil {
			notFound(w, r, fmt.Sprintf("no event of type %q is waiting for %s", s.EventType, c.caller))
			return
		}
		item, md, deliver := b.screen(r.Context(), s, msg)
		if !deliver {
			continue
		}
		reply := msg.Reply()
		a := attempt{sub: s.ID, eventID: item.ID, n: int(md.NumDelivered)}
		if err := b.recordAttempt(r.Context(), a, "leased", &reply); err != nil {
			_ = msg.Nak() // let it come again rather than hand out an event we cannot acknowledge
			b.internal(w, r, "record pull", err)
			return
		}
		writeJSON(w, http.StatusOK, item)
		return
	}
	notFound(w, r, fmt.Sprintf("no event of type %q is waiting for %s", s.EventType, c.caller))
}

// pullSub loads the caller's subscription and checks it is a pull one the caller may still use.
func (b *Broker) pullSub(w http.ResponseWriter, r *http.Request, c call) (subscription, bool) {
	s, found := b.mySub(w, r, c)
	if !found {
		return s, false
	}
	if s.Delivery != deliveryPull {
		conflict(w, r, "this subscription delivers by PUSH; PATCH it to delivery PULL to pull events")
		return s, false
	}
	return s, b.allowed(w, r, c, ActionSubscribe, s.EventType)
}

func pullWait(r *http.Request) (time.Duration, error) {
	v := r.URL.Query().Get("wait")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxPullWait {
		return 0, fmt.Errorf("wait must be a whole number of seconds from 0 to %d, not %q", maxPullWait, v)
	}
	return time.Duration(n) * time.Second, nil
}

// next returns the consumer's next message, or nil when none arrives within wait.
func next(cons jetstream.Consumer, wait time.Duration) (jetstream.Msg, error) {
	var batch jetstream.MessageBatch
	var err error
	if wait == 0 {
		batch, err = cons.FetchNoWait(1)
	} else {
		batch, err = cons.Fetch(1, jetstream.FetchMaxWait(wait))
	}
	if err != nil {
		return nil, err
	}
	for m := range batch.Messages() {
		return m, nil
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) {
		return nil, err
	}
	return nil, nil
}

func (b *Broker) ack(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	s, ok := b.pullSub(w, r, c)
	if !ok {
		return
	}
	id := r.PathValue("eventId")
	var reply string
	err := b.opts.Pool.QueryRow(r.Context(), `SELECT reply FROM im_pubsub_delivery
		WHERE subscription_id = $1 AND event_id = $2 AND state = 'leased'`, s.ID, id).Scan(&reply)
	if errors.Is(err, pgx.ErrNoRows) {
		notFound(w, r, fmt.Sprintf("event %s is not awaiting acknowledgement by %s: pull it first (or it was acknowledged already)", id, c.caller))
		return
	}
	if err != nil {
		b.internal(w, r, "load pulled event", err)
		return
	}
	// The ack subject stays valid across gateway restarts; a request makes JetStream confirm the ack.
	if _, err := b.opts.JetStream.Conn().Request(reply, []byte("+ACK"), 5*time.Second); err != nil {
		b.internal(w, r, "acknowledge", err)
		return
	}
	if err := b.setState(r.Context(), s.ID, id, "delivered", ""); err != nil {
		b.internal(w, r, "record acknowledgement", err)
		return
	}
	b.metrics.delivered.WithLabelValues("pull").Inc()
	w.WriteHeader(http.StatusNoContent)
}
