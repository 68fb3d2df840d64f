package pubsub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
)

// storedEvent is a row of im_pubsub_event.
type storedEvent struct {
	ID          string
	Publisher   string
	Seq         int64
	PublishedAt time.Time
	Cancelled   bool
}

// deliveryJSON is one subscription's view of an event: state is pending (nothing settled yet; a pulled
// event awaiting its acknowledgement is pending too), failed (attempts failed, more will follow),
// delivered, dropped (attempts exhausted, expired or no longer allowed) or cancelled (the publisher deleted
// the event first).
type deliveryJSON struct {
	SubscriptionID string     `json:"subscriptionId"`
	SubscriberID   clientJSON `json:"subscriberId"`
	Delivery       string     `json:"delivery"`
	Status         string     `json:"status"`
	Attempts       int        `json:"attempts"`
	LastStatusCode *int       `json:"lastStatusCode,omitempty"`
	LastError      *string    `json:"lastError,omitempty"`
	UpdatedAt      *time.Time `json:"updatedAt,omitempty"`
}

// statusJSON is the API's EventItem plus the delivery state per subscription.
type statusJSON struct {
	eventItem
	Cancelled  bool           `json:"cancelled"`
	Deliveries []deliveryJSON `json:"deliveries"`
}

// publisherEvent loads the path's event and checks that the caller published it or manages the room,
// answering itself when it returns ok=false.
func (b *Broker) publisherEvent(w http.ResponseWriter, r *http.Request, c call) (storedEvent, bool) {
	name, id := r.PathValue("eventType"), r.PathValue("eventId")
	var e storedEvent
	missing := func() { notFound(w, r, fmt.Sprintf("no event %s of type %q in room %s", id, name, c.room)) }
	if _, err := uuid.Parse(id); err != nil {
		missing()
		return e, false
	}
	err := b.opts.Pool.QueryRow(r.Context(), `SELECT id::text, publisher, stream_seq, published_at, cancelled_at IS NOT NULL
		FROM im_pubsub_event WHERE id = $1 AND room = $2 AND event_type = $3`, id, c.room.String(), name).
		Scan(&e.ID, &e.Publisher, &e.Seq, &e.PublishedAt, &e.Cancelled)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		missing()
		return e, false
	case err != nil:
		b.internal(w, r, "load event", err)
		return e, false
	case e.Publisher == c.caller.String():
		return e, true
	}
	return e, b.allowed(w, r, c, ActionManage, name)
}

func (b *Broker) eventStatus(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	e, ok := b.publisherEvent(w, r, c)
	if !ok {
		return
	}
	name := r.PathValue("eventType")
	deliveries, err := b.deliveries(r.Context(), c, name, e)
	if err != nil {
		b.internal(w, r, "event status", err)
		return
	}
	pub := parseClient(e.Publisher)
	out := statusJSON{eventItem: eventItem{ID: e.ID, Sequence: uint64(e.Seq), PublisherID: &pub, EventType: name,
		PublishedAt: &e.PublishedAt}, Cancelled: e.Cancelled, Deliveries: deliveries}
	if !e.Cancelled {
		if s, err := b.opts.JetStream.Stream(r.Context(), StreamName); err == nil {
			if m, err := s.GetMsg(r.Context(), uint64(e.Seq)); err == nil {
				out.Event = m.Data // absent once the stream's retention has removed it
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// deliveries lists every subscription that receives e (those that existed when it was published) with its
// delivery state.
func (b *Broker) deliveries(ctx context.Context, c call, name string, e storedEvent) ([]deliveryJSON, error) {
	out := []deliveryJSON{}
	rows, err := b.opts.Pool.Query(ctx, `SELECT s.id::text, s.subscriber, s.delivery, d.state, COALESCE(d.attempts, 0),
			d.last_status, d.last_error, d.updated_at
		FROM im_pubsub_subscription s
		LEFT JOIN im_pubsub_delivery d ON d.subscription_id = s.id AND d.event_id = $4
		WHERE s.room = $1 AND s.event_type = $2 AND s.stream = $5 AND s.start_seq <= $3
		ORDER BY s.created_at`, c.room.String(), name, e.Seq, e.ID, StreamName)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d deliveryJSON
		var subscriber string
		var state *string
		if err := rows.Scan(&d.SubscriptionID, &subscriber, &d.Delivery, &state, &d.Attempts, &d.LastStatusCode,
			&d.LastError, &d.UpdatedAt); err != nil {
			return nil, err
		}
		d.SubscriberID = parseClient(subscriber)
		d.Status = publicState(state, e.Cancelled)
		out = append(out, d)
	}
	return out, rows.Err()
}

func publicState(state *string, cancelled bool) string {
	switch {
	case state == nil || *state == "leased":
		if cancelled {
			return "cancelled"
		}
		return "pending"
	case *state == "failed" && cancelled:
		return "cancelled"
	}
	return *state
}

func (b *Broker) deleteEvent(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	e, ok := b.publisherEvent(w, r, c)
	if !ok {
		return
	}
	if _, err := b.opts.Pool.Exec(r.Context(), `UPDATE im_pubsub_event SET cancelled_at = COALESCE(cancelled_at, now())
		WHERE id = $1`, e.ID); err != nil {
		b.internal(w, r, "cancel event", err)
		return
	}
	// Removing the message makes every consumer skip it; workers that already hold it see cancelled_at.
	if s, err := b.opts.JetStream.Stream(r.Context(), StreamName); err == nil {
		if err := s.DeleteMsg(r.Context(), uint64(e.Seq)); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			b.log.WarnContext(r.Context(), "pubsub: delete cancelled event from stream", "event_id", e.ID, "error", err)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
