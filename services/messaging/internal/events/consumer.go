package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/services/messaging/internal/app"
)

// Consumer feeds other BBs' events (Scheduling's appointments and alerts, Registration's account e-mails —
// whatever the enabled notification rules name) to the notification use case, exactly once per event
// through the inbox.
type Consumer struct {
	app *app.Service
	// within runs fn as a unit of work on the inbox's transaction (store.Store.Within).
	within func(ctx context.Context, tx pgx.Tx, fn func(app.Tx) error) error
	log    *slog.Logger
}

// NewConsumer returns the consumer; within binds the app's unit of work to the inbox transaction.
func NewConsumer(a *app.Service, within func(context.Context, pgx.Tx, func(app.Tx) error) error, log *slog.Logger) *Consumer {
	return &Consumer{app: a, within: within, log: log}
}

// Subscriptions groups the rules' event types by the stream that carries them: an event type
// govstack.<bb>.v1.... lives on stream GOVSTACK_<BB>. Rules are read once: a new rule takes effect at the
// next start.
func (c *Consumer) Subscriptions(ctx context.Context) (map[string][]string, error) {
	types, err := c.app.RuleEventTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, t := range types {
		parts := strings.Split(t, ".")
		if len(parts) < 3 {
			continue // not a GovStack event type; no stream carries it
		}
		stream := natsbus.StreamName(parts[1])
		out[stream] = append(out[stream], t)
	}
	return out, nil
}

// Run consumes subs (from Subscriptions) with one durable consumer per stream until ctx is done.
func (c *Consumer) Run(ctx context.Context, js jetstream.JetStream, pool *pgxpool.Pool, subs map[string][]string) error {
	var g errgroup.Group
	for stream, subjects := range subs {
		durable := "messaging-" + strings.ToLower(strings.TrimPrefix(stream, "GOVSTACK_"))
		g.Go(func() error {
			return inbox.Consume(ctx, js, pool, inbox.ConsumerOptions{Stream: stream, Durable: durable,
				FilterSubjects: subjects, Logger: c.log}, c.Handle)
		})
	}
	return g.Wait()
}

// Handle is the inbox handler: the payload (protojson, so plain JSON) is decoded and handed to the rules
// inside the inbox transaction. A payload that is not JSON sends nothing and is not retried.
func (c *Consumer) Handle(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	var payload any
	if err := json.Unmarshal(d.Data, &payload); err != nil {
		c.log.Warn("event payload is not JSON; no notification", "event_id", d.ID, "type", d.Type)
		return nil
	}
	return c.within(ctx, tx, func(utx app.Tx) error { return c.app.Notify(ctx, utx, d.Type, payload) })
}
