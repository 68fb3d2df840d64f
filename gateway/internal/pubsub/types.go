package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// eventTypeName keeps names one NATS subject token and one URL segment.
var eventTypeName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,127}$`)

// anyObject is the schema of BB event types: their payloads are the protojson of the BB's event message.
var anyObject = json.RawMessage(`{"type":"object"}`)

// eventTypeJSON is the API's EventType.
type eventTypeJSON struct {
	EventType string          `json:"eventType"`
	Schema    json.RawMessage `json:"schema"`
	// BB says the type is a building block's event: it can be subscribed to but not published.
	BB bool `json:"bbEvent,omitempty"`
}

// eventType is a stored event type, or a BB one (bb != nil).
type eventType struct {
	name      string
	schema    json.RawMessage
	createdAt time.Time
	bb        *BBEventType
}

func (b *Broker) createEventType(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	var in eventTypeJSON
	if !readJSON(w, r, b.opts.MaxEventBytes, &in) {
		return
	}
	if !eventTypeName.MatchString(in.EventType) {
		badRequest(w, r, "eventType must start with a letter and hold only letters, digits, '_' and '-' (at most 128)")
		return
	}
	if len(in.Schema) == 0 || string(in.Schema) == "null" {
		badRequest(w, r, "schema is required: a JSON Schema object for the event payload")
		return
	}
	if !b.allowed(w, r, c, ActionManage, in.EventType) {
		return
	}
	if _, err := compileSchema(in.Schema); err != nil {
		badRequest(w, r, "schema does not compile: "+err.Error())
		return
	}
	err := pgstore.InTx(r.Context(), b.opts.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(r.Context(), `INSERT INTO im_pubsub_event_type (room, name, schema, created_by)
			VALUES ($1, $2, $3, $4)`, c.room.String(), in.EventType, string(in.Schema), c.caller.String())
		if err != nil {
			return err
		}
		return b.audit(r.Context(), tx, c, "pubsub.eventType.create", in.EventType, in.Schema)
	})
	switch {
	case isUniqueViolation(err):
		conflict(w, r, fmt.Sprintf("event type %q already exists in room %s", in.EventType, c.room))
		return
	case err != nil:
		b.internal(w, r, "create event type", err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (b *Broker) listEventTypes(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	rows, _ := b.opts.Pool.Query(r.Context(), `SELECT name FROM im_pubsub_event_type WHERE room = $1`, c.room.String())
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.internal(w, r, "list event types", err)
		return
	}
	for _, e := range b.opts.BBEvents {
		if e.Room == c.room {
			names = append(names, e.Name)
		}
	}
	if len(names) == 0 {
		w.WriteHeader(http.StatusNoContent) // as the API says for a room without event types
		return
	}
	sort.Strings(names)
	writeJSON(w, http.StatusOK, names)
}

func (b *Broker) getEventType(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	et, found, err := b.loadEventType(r.Context(), c, r.PathValue("eventType"))
	if err != nil {
		b.internal(w, r, "get event type", err)
		return
	}
	if !found {
		notFound(w, r, fmt.Sprintf("no event type %q in room %s", r.PathValue("eventType"), c.room))
		return
	}
	writeJSON(w, http.StatusOK, eventTypeJSON{EventType: et.name, Schema: et.schema, BB: et.bb != nil})
}

func (b *Broker) deleteEventType(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	name := r.PathValue("eventType")
	if _, isBB := b.bb[bbKey{c.room.String(), name}]; isBB {
		badRequest(w, r, fmt.Sprintf("%q is a building block's event type; it is configured in the gateway, not through the API", name))
		return
	}
	if !b.allowed(w, r, c, ActionManage, name) {
		return
	}
	subs, found, err := b.dropEventType(r.Context(), c, name)
	if err != nil {
		b.internal(w, r, "delete event type", err)
		return
	}
	if !found {
		notFound(w, r, fmt.Sprintf("no event type %q in room %s", name, c.room))
		return
	}
	for _, s := range subs {
		b.deleteConsumer(r.Context(), s)
	}
	if stream, err := b.opts.JetStream.Stream(r.Context(), StreamName); err == nil {
		err = stream.Purge(r.Context(), jetstream.WithPurgeSubject(imSubject(c.room, name)))
		if err != nil {
			b.log.WarnContext(r.Context(), "pubsub: purge deleted event type", "error", err)
		}
	}
	b.nudge()
	w.WriteHeader(http.StatusNoContent)
}

// dropEventType deletes the type, its events and its subscriptions in one transaction, returning the
// subscriptions whose consumers must go too.
func (b *Broker) dropEventType(ctx context.Context, c call, name string) (subs []subscription, found bool, err error) {
	err = pgstore.InTx(ctx, b.opts.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM im_pubsub_event_type WHERE room = $1 AND name = $2`, c.room.String(), name)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		found = true
		rows, _ := tx.Query(ctx, `DELETE FROM im_pubsub_subscription WHERE room = $1 AND event_type = $2
			RETURNING `+subColumns, c.room.String(), name)
		if subs, err = pgx.CollectRows(rows, scanSub); err != nil {
			return err
		}
		return b.audit(ctx, tx, c, "pubsub.eventType.delete", name, map[string]int{"subscriptionsRemoved": len(subs)})
	})
	return subs, found, err
}

// loadEventType finds name in the room: a BB event type or a stored one.
func (b *Broker) loadEventType(ctx context.Context, c call, name string) (eventType, bool, error) {
	if e, ok := b.bb[bbKey{c.room.String(), name}]; ok {
		return eventType{name: name, schema: anyObject, bb: &e}, true, nil
	}
	et := eventType{name: name}
	err := b.opts.Pool.QueryRow(ctx, `SELECT schema, created_at FROM im_pubsub_event_type
		WHERE room = $1 AND name = $2`, c.room.String(), name).Scan(&et.schema, &et.createdAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return et, false, nil
	}
	return et, err == nil, err
}

// schemaCache holds compiled schemas by room, name and creation time, so a type deleted and created again
// with another schema is never validated against the old one.
var schemaCache sync.Map

func (et eventType) compiled(room string) (*jsonschema.Schema, error) {
	key := room + "\x00" + et.name + "\x00" + et.createdAt.String()
	if s, ok := schemaCache.Load(key); ok {
		return s.(*jsonschema.Schema), nil
	}
	s, err := compileSchema(et.schema)
	if err != nil {
		return nil, err
	}
	schemaCache.Store(key, s)
	return s, nil
}

// audit records a change to the room's configuration in tx, when the gateway gave an Audit function.
func (b *Broker) audit(ctx context.Context, tx pgx.Tx, c call, action, eventType string, detail any) error {
	if b.opts.Audit == nil {
		return nil
	}
	return b.opts.Audit(ctx, tx, c.caller.String(), action, c.room.String()+"/"+eventType, detail)
}
