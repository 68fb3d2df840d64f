package pubsub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"
)

const (
	deliveryPush = "PUSH"
	deliveryPull = "PULL"
)

// subJSON is the API's SubscriptionItem. Endpoint is our addition (the API has no field for it): the URL
// push deliveries are POSTed to, required for PUSH.
type subJSON struct {
	ID           string      `json:"id,omitempty"`
	SubscriberID *clientJSON `json:"subscriberId,omitempty"`
	EventType    string      `json:"eventType"`
	Delivery     string      `json:"delivery,omitempty"`
	Endpoint     *string     `json:"endpoint,omitempty"`
	Options      *subOptions `json:"options,omitempty"`
}

type subOptions struct {
	TTL  *int  `json:"TTL,omitempty"` // seconds an event stays deliverable after it was published
	FIFO *bool `json:"FIFO,omitempty"`
}

func (s subscription) toJSON() subJSON {
	ttl, fifo := s.TTLSeconds, s.FIFO
	sub := parseClient(s.Subscriber)
	return subJSON{ID: s.ID, SubscriberID: &sub, EventType: s.EventType, Delivery: s.Delivery,
		Endpoint: s.Endpoint, Options: &subOptions{TTL: &ttl, FIFO: &fifo}}
}

// apply merges the fields present in in onto s, checking them; the error is for the caller.
func (in subJSON) apply(s *subscription) error {
	if in.Delivery != "" {
		if in.Delivery != deliveryPush && in.Delivery != deliveryPull {
			return fmt.Errorf("delivery must be PUSH or PULL, not %q", in.Delivery)
		}
		s.Delivery = in.Delivery
	}
	if in.Endpoint != nil {
		s.Endpoint = in.Endpoint
	}
	if in.Options != nil && in.Options.TTL != nil {
		if *in.Options.TTL <= 0 {
			return errors.New("options.TTL must be a positive number of seconds")
		}
		s.TTLSeconds = *in.Options.TTL
	}
	if in.Options != nil && in.Options.FIFO != nil {
		s.FIFO = *in.Options.FIFO
	}
	if s.Delivery == deliveryPull {
		s.Endpoint = nil
		return nil
	}
	if s.Endpoint == nil {
		return errors.New("a PUSH subscription needs endpoint: the http(s) URL events are POSTed to")
	}
	u, err := url.Parse(*s.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint must be an absolute http or https URL, not %q", *s.Endpoint)
	}
	return nil
}

// check merges in onto s and applies the endpoint policy.
func (b *Broker) check(in subJSON, s *subscription) error {
	if err := in.apply(s); err != nil {
		return err
	}
	if s.Endpoint == nil || b.opts.ValidateEndpoint == nil {
		return nil
	}
	u, _ := url.Parse(*s.Endpoint) // apply has parsed it
	if err := b.opts.ValidateEndpoint(u); err != nil {
		return fmt.Errorf("endpoint %q is not allowed: %w", *s.Endpoint, err)
	}
	return nil
}

func (b *Broker) addSub(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	name := r.PathValue("eventType")
	var in subJSON
	if !readJSON(w, r, 64<<10, &in) {
		return
	}
	if in.EventType != "" && in.EventType != name {
		badRequest(w, r, fmt.Sprintf("eventType %q in the body differs from %q in the path", in.EventType, name))
		return
	}
	s := subscription{Room: c.room.String(), EventType: name, Subscriber: c.caller.String(), Delivery: deliveryPush,
		TTLSeconds: int(b.opts.DefaultTTL.Seconds())}
	if err := b.check(in, &s); err != nil {
		badRequest(w, r, err.Error())
		return
	}
	et, found, err := b.loadEventType(r.Context(), c, name)
	if err != nil {
		b.internal(w, r, "subscribe", err)
		return
	}
	if !found {
		notFound(w, r, fmt.Sprintf("no event type %q in room %s", name, c.room))
		return
	}
	if !b.allowed(w, r, c, ActionSubscribe, name) {
		return
	}
	s.ID = uuid.NewString()
	s.Consumer = "im_pubsub_" + s.ID
	s.Stream, s.Subject = StreamName, imSubject(c.room, name)
	if et.bb != nil {
		s.Stream, s.Subject = et.bb.Stream, et.bb.Subject
	}
	switch err := b.createSub(r.Context(), &s); {
	case isUniqueViolation(err):
		conflict(w, r, fmt.Sprintf("%s already subscribes to %q in room %s; PATCH it to change it", c.caller, name, c.room))
	case errors.Is(err, errStreamMissing):
		rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable,
			"the events of this type are not available yet (their building block has not started); try again later")
	case err != nil:
		b.internal(w, r, "subscribe", err)
	default:
		b.nudge()
		writeJSON(w, http.StatusOK, s.toJSON())
	}
}

// createSub stores s and creates its consumer; the row commits only if the consumer exists.
func (b *Broker) createSub(ctx context.Context, s *subscription) error {
	if s.Stream == StreamName {
		if err := b.ensureStream(ctx); err != nil {
			return err
		}
	}
	start, err := b.startSeq(ctx, s.Stream)
	if err != nil {
		return err
	}
	s.StartSeq = start
	return pgstore.InTx(ctx, b.opts.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO im_pubsub_subscription (id, room, event_type, subscriber, delivery,
			endpoint, ttl_seconds, fifo, stream, subject, consumer, start_seq)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING created_at, updated_at`,
			s.ID, s.Room, s.EventType, s.Subscriber, s.Delivery, s.Endpoint, s.TTLSeconds, s.FIFO,
			s.Stream, s.Subject, s.Consumer, int64(s.StartSeq)).Scan(&s.CreatedAt, &s.UpdatedAt)
		if err != nil {
			return err
		}
		_, err = b.ensureConsumer(ctx, *s)
		return err
	})
}

func (b *Broker) getSub(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	s, found := b.mySub(w, r, c)
	if found {
		writeJSON(w, http.StatusOK, s.toJSON())
	}
}

// mySub loads the caller's subscription to the path's event type, answering 404 or 500 itself.
func (b *Broker) mySub(w http.ResponseWriter, r *http.Request, c call) (subscription, bool) {
	name := r.PathValue("eventType")
	s, found, err := b.findSub(r.Context(), c, name)
	if err != nil {
		b.internal(w, r, "load subscription", err)
		return s, false
	}
	if !found {
		notFound(w, r, fmt.Sprintf("%s has no subscription to %q in room %s", c.caller, name, c.room))
	}
	return s, found
}

func (b *Broker) patchSub(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	var in subJSON
	if !readJSON(w, r, 64<<10, &in) {
		return
	}
	s, found := b.mySub(w, r, c)
	if !found {
		return
	}
	if in.EventType != "" && in.EventType != s.EventType {
		badRequest(w, r, "eventType cannot be changed; subscribe to the other event type instead")
		return
	}
	if err := b.check(in, &s); err != nil {
		badRequest(w, r, err.Error())
		return
	}
	err := pgstore.InTx(r.Context(), b.opts.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(r.Context(), `UPDATE im_pubsub_subscription SET delivery = $2, endpoint = $3,
			ttl_seconds = $4, fifo = $5, updated_at = now() WHERE id = $1 RETURNING updated_at`,
			s.ID, s.Delivery, s.Endpoint, s.TTLSeconds, s.FIFO).Scan(&s.UpdatedAt)
		if err != nil {
			return err
		}
		_, err = b.ensureConsumer(r.Context(), s)
		return err
	})
	if err != nil {
		b.internal(w, r, "update subscription", err)
		return
	}
	b.nudge()
	writeJSON(w, http.StatusCreated, s.toJSON()) // 201 is what the API specifies for patchSub
}

func (b *Broker) deleteSub(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	s, found := b.mySub(w, r, c)
	if !found {
		return
	}
	if _, err := b.opts.Pool.Exec(r.Context(), `DELETE FROM im_pubsub_subscription WHERE id = $1`, s.ID); err != nil {
		b.internal(w, r, "delete subscription", err)
		return
	}
	b.deleteConsumer(r.Context(), s)
	b.nudge()
	w.WriteHeader(http.StatusNoContent)
}

func (b *Broker) listSubs(w http.ResponseWriter, r *http.Request) {
	c, ok := begin(w, r)
	if !ok {
		return
	}
	rows, _ := b.opts.Pool.Query(r.Context(), `SELECT `+subColumns+` FROM im_pubsub_subscription
		WHERE room = $1 AND subscriber = $2 ORDER BY event_type`, c.room.String(), c.caller.String())
	subs, err := pgx.CollectRows(rows, scanSub)
	if err != nil {
		b.internal(w, r, "list subscriptions", err)
		return
	}
	out := make([]subJSON, 0, len(subs))
	for _, s := range subs {
		out = append(out, s.toJSON())
	}
	writeJSON(w, http.StatusOK, out)
}
