package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
)

// Headers of the messages this package publishes (besides the CloudEvents ce-* ones).
const (
	headerPublisher = "Govstack-Publisher"
	headerRoom      = "Govstack-Room"
)

// publishJSON is the API's PublishEvent. ID is optional: a publisher that sends its own event id (the
// workflow spec allows it) may retry the request safely; the event is published once.
type publishJSON struct {
	ID        string          `json:"id,omitempty"`
	EventType string          `json:"eventType"`
	Event     json.RawMessage `json:"event"`
}

// eventItem is the API's EventItem: what subscribers receive and what the status shows.
type eventItem struct {
	ID          string          `json:"id"`
	Sequence    uint64          `json:"sequence,omitempty"`
	PublisherID *clientJSON     `json:"publisherId,omitempty"`
	EventType   string          `json:"eventType"`
	PublishedAt *time.Time      `json:"publishedAt,omitempty"`
	Event       json.RawMessage `json:"event,omitempty"`
}

func (b *Broker) publish(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	name := r.PathValue("eventType")
	var in publishJSON
	if !readJSON(w, r, b.opts.MaxEventBytes, &in) {
		b.metrics.published.WithLabelValues("invalid").Inc()
		return
	}
	et, ok := b.publishable(w, r, c, name, in)
	if !ok {
		b.metrics.published.WithLabelValues("invalid").Inc()
		return
	}
	sch, err := et.compiled(c.room.String())
	if err != nil {
		b.internal(w, r, "compile stored schema", err)
		return
	}
	if err := validatePayload(sch, in.Event); err != nil {
		b.metrics.published.WithLabelValues("invalid").Inc()
		badRequest(w, r, err.Error())
		return
	}
	id := in.ID
	if id == "" {
		id = uuid.NewString()
	} else if done := b.replayed(w, r, c, name, id); done {
		return
	}
	if err := b.store(r.Context(), c, name, id, in.Event); err != nil {
		b.internal(w, r, "publish", err)
		return
	}
	b.metrics.published.WithLabelValues("accepted").Inc()
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}

// publishable checks the request against the event type and the caller's rights, answering itself when
// it returns ok=false.
func (b *Broker) publishable(w http.ResponseWriter, r *http.Request, c call, name string, in publishJSON) (eventType, bool) {
	if in.EventType != "" && in.EventType != name {
		badRequest(w, r, fmt.Sprintf("eventType %q in the body differs from %q in the path", in.EventType, name))
		return eventType{}, false
	}
	if len(in.Event) == 0 || string(in.Event) == "null" {
		badRequest(w, r, "event is required: the JSON payload to publish")
		return eventType{}, false
	}
	if in.ID != "" {
		if _, err := uuid.Parse(in.ID); err != nil {
			badRequest(w, r, fmt.Sprintf("id must be a UUID (or left out to let the IM choose one), not %q", in.ID))
			return eventType{}, false
		}
	}
	et, found, err := b.loadEventType(r.Context(), c, name)
	switch {
	case err != nil:
		b.internal(w, r, "load event type", err)
		return et, false
	case !found:
		notFound(w, r, fmt.Sprintf("no event type %q in room %s; create it first", name, c.room))
		return et, false
	case et.bb != nil:
		rest.WriteError(w, r, http.StatusForbidden, codes.PermissionDenied, fmt.Sprintf(
			"%q is a building block's event type: only the building block publishes it; you may subscribe to it", name))
		return et, false
	}
	return et, b.allowed(w, r, c, ActionPublish, name)
}

// replayed answers a publish whose client-chosen id is already taken: the same publisher retrying the same
// type gets the original answer; anyone else gets 409.
func (b *Broker) replayed(w http.ResponseWriter, r *http.Request, c call, name, id string) bool {
	var room, typ, publisher string
	err := b.opts.Pool.QueryRow(r.Context(), `SELECT room, event_type, publisher FROM im_pubsub_event WHERE id = $1`,
		id).Scan(&room, &typ, &publisher)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false
	case err != nil:
		b.internal(w, r, "look up event id", err)
	case room == c.room.String() && typ == name && publisher == c.caller.String():
		b.metrics.published.WithLabelValues("duplicate").Inc()
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	default:
		conflict(w, r, fmt.Sprintf("event id %s is already used by another event; choose another id", id))
	}
	return true
}

// store publishes the event to JetStream, then indexes it. The stream is the store of record: if the
// gateway dies between the two, the event is still delivered (only its status is unknown), and a retry
// with the same id is deduplicated by Nats-Msg-Id and indexes it.
func (b *Broker) store(ctx context.Context, c call, name, id string, payload []byte) error {
	if err := b.ensureStream(ctx); err != nil {
		return err
	}
	now := time.Now().UTC()
	m := nats.NewMsg(imSubject(c.room, name))
	m.Data = payload
	m.Header.Set(jetstream.MsgIDHeader, id)
	m.Header.Set("ce-specversion", "1.0")
	m.Header.Set("ce-id", id)
	m.Header.Set("ce-type", name)
	m.Header.Set("ce-source", c.caller.String())
	m.Header.Set("ce-time", now.Format(time.RFC3339Nano))
	m.Header.Set("content-type", "application/json")
	m.Header.Set(headerPublisher, c.caller.String())
	m.Header.Set(headerRoom, c.room.String())
	ack, err := b.opts.JetStream.PublishMsg(ctx, m)
	if errors.Is(err, jetstream.ErrNoStreamResponse) {
		// The stream was removed behind our back (an operator, a wiped NATS): create it and try once more.
		b.ready.Store(false)
		if err = b.ensureStream(ctx); err == nil {
			ack, err = b.opts.JetStream.PublishMsg(ctx, m)
		}
	}
	if err != nil {
		return err
	}
	_, err = b.opts.Pool.Exec(ctx, `INSERT INTO im_pubsub_event (id, room, event_type, publisher, stream_seq, size_bytes, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
		id, c.room.String(), name, c.caller.String(), int64(ack.Sequence), len(payload), now)
	return err
}
