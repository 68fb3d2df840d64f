package pubsub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
)

// worker delivers the events of one push subscription.
type worker struct {
	version time.Time // the subscription's updated_at: a newer one restarts the worker with the new settings
	cancel  context.CancelFunc
	done    chan struct{}
}

// Run delivers push subscriptions until ctx ends: one worker per subscription, reconciled with Postgres on
// every change made through this Broker and every ResyncInterval (for changes made by other replicas).
// Events of BB streams are delivered the same way: that is the BB-event bridge. It returns nil when ctx ends.
func (b *Broker) Run(ctx context.Context) error {
	for wait := time.Second; ; wait = min(2*wait, 30*time.Second) {
		err := b.ensureStream(ctx)
		if err == nil {
			break
		}
		// NATS may come up after the gateway; the API answers 500 for publishes until it does.
		b.log.WarnContext(ctx, "pubsub: cannot create the event stream; retrying", "stream", StreamName,
			"error", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
	defer b.stopAll()
	tick := time.NewTicker(b.opts.ResyncInterval)
	defer tick.Stop()
	for {
		if err := b.resync(ctx); err != nil && ctx.Err() == nil {
			b.log.WarnContext(ctx, "pubsub: resync push workers", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-b.wake:
		}
	}
}

// nudge asks Run to resync soon; it never blocks.
func (b *Broker) nudge() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *Broker) resync(ctx context.Context) error {
	rows, _ := b.opts.Pool.Query(ctx, `SELECT `+subColumns+` FROM im_pubsub_subscription WHERE delivery = 'PUSH'`)
	subs, err := pgx.CollectRows(rows, scanSub)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	want := make(map[string]bool, len(subs))
	for _, s := range subs {
		want[s.ID] = true
		if w, ok := b.workers[s.ID]; ok && w.version.Equal(s.UpdatedAt) {
			continue
		} else if ok {
			w.stop()
		}
		wctx, cancel := context.WithCancel(ctx)
		w := worker{version: s.UpdatedAt, cancel: cancel, done: make(chan struct{})}
		b.workers[s.ID] = w
		go func() {
			defer close(w.done)
			b.work(wctx, s)
		}()
	}
	for id, w := range b.workers {
		if !want[id] {
			w.stop()
			delete(b.workers, id)
		}
	}
	return nil
}

func (w worker) stop() {
	w.cancel()
	<-w.done
}

func (b *Broker) stopAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, w := range b.workers {
		w.stop()
		delete(b.workers, id)
	}
}

// work consumes s's events until ctx ends, reopening the consumer after errors.
func (b *Broker) work(ctx context.Context, s subscription) {
	for ctx.Err() == nil {
		if err := b.consume(ctx, s); err != nil && ctx.Err() == nil {
			b.log.WarnContext(ctx, "pubsub: push consumer", "subscription", s.ID, "error", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (b *Broker) consume(ctx context.Context, s subscription) error {
	cons, err := b.opts.JetStream.Consumer(ctx, s.Stream, s.Consumer)
	if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
		// Either the subscription was just deleted (by any replica) or NATS lost its storage. Recreate the
		// consumer (from the subscription's start) only in the second case, or it would outlive its row.
		var exists bool
		if qerr := b.opts.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM im_pubsub_subscription WHERE id = $1)`,
			s.ID).Scan(&exists); qerr != nil || !exists {
			return errors.Join(err, qerr)
		}
		cons, err = b.ensureConsumer(ctx, s)
	}
	if err != nil {
		return err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1))
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	for {
		msg, err := it.Next()
		if err != nil {
			return err
		}
		b.handlePush(ctx, s, msg)
	}
}

// handlePush makes one delivery attempt of msg to s and settles msg: ack on success, NAK with backoff on
// failure, terminate after the last attempt.
func (b *Broker) handlePush(ctx context.Context, s subscription, msg jetstream.Msg) {
	item, md, deliver := b.screen(ctx, s, msg)
	if !deliver {
		return
	}
	subscriber, room := parseIdent(s.Subscriber), parseIdent(s.Room)
	if err := b.opts.Authorize(ctx, subscriber, room, ActionSubscribe, s.EventType); err != nil {
		_ = msg.Term()
		b.metrics.dropped.WithLabelValues("unauthorized").Inc()
		b.settle(ctx, s, item.ID, "dropped", "the subscriber may no longer receive this event type: "+err.Error())
		return
	}
	n := int(md.NumDelivered)
	start := time.Now()
	code, err := b.post(ctx, *s.Endpoint, s, item)
	if err != nil && ctx.Err() != nil {
		// The gateway is stopping: not the subscriber's failure. Another replica, or this one after its
		// restart, gets the event at once (this delivery still counts in JetStream's tally).
		_ = msg.Nak()
		return
	}
	a := attempt{sub: s.ID, eventID: item.ID, n: n, duration: time.Since(start)}
	if code != 0 {
		a.status = &code
	}
	state := "delivered"
	switch {
	case err == nil:
		_ = msg.DoubleAck(ctx)
		b.metrics.attempts.WithLabelValues("ok").Inc()
		b.metrics.delivered.WithLabelValues("push").Inc()
	case n >= b.opts.MaxPushAttempts:
		state = "dropped"
		_ = msg.Term()
		b.metrics.attempts.WithLabelValues("error").Inc()
		b.metrics.dropped.WithLabelValues("attempts").Inc()
	default:
		state = "failed"
		_ = msg.NakWithDelay(b.backoff(n))
		b.metrics.attempts.WithLabelValues("error").Inc()
	}
	if err != nil {
		text := truncate(err.Error(), 500)
		a.err = &text
	}
	if err := b.recordAttempt(ctx, a, state, nil); err != nil {
		b.log.WarnContext(ctx, "pubsub: record push attempt", "subscription", s.ID, "event_id", item.ID, "error", err)
	}
}

// post sends item to endpoint; any answer but 2xx is a failure. code is 0 when no answer came.
func (b *Broker) post(ctx context.Context, endpoint string, s subscription, item eventItem) (code int, err error) {
	body, err := json.Marshal(item)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, b.opts.PushTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GovStack-Event-Id", item.ID)
	req.Header.Set("X-GovStack-Event-Type", s.EventType)
	req.Header.Set("X-GovStack-Subscription-Id", s.ID)
	req.Header.Set("X-GovStack-Room", s.Room)
	resp, err := b.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("subscriber answered HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// backoff is the delay before attempt n+1: Initial·Multiplier^(n-1), at most Max, of which a random part
// of up to a half is taken off so that subscribers recovering from an outage are not hit all at once.
func (b *Broker) backoff(n int) time.Duration {
	p := b.opts.PushBackoff
	d := float64(p.Initial) * math.Pow(p.Multiplier, float64(n-1))
	if d > float64(p.Max) || math.IsInf(d, 0) {
		d = float64(p.Max)
	}
	return time.Duration(d/2 + rand.Float64()*d/2)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
