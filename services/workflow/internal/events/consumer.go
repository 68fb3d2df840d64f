package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/natsbus"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
)

// Consumer turns other BBs' events into messages: an event of type T about subject S (its CloudEvents
// subject, e.g. a tender or an appointment id) is the message named T with correlation key S, carrying the
// event's payload as variables. A process waits for one with a message catch event named after the event
// type (govstack.scheduling.v1.deadline.reached) and its subject as the correlation key. The inbox records
// each event with the message it published, so an event delivered twice correlates once.
type Consumer struct {
	app    *app.Service
	within func(context.Context, pgx.Tx, func(app.Tx) error) error
	ttl    time.Duration
	log    *slog.Logger
}

// NewConsumer returns the consumer; within runs a unit of work on the inbox's transaction; ttl is how long
// an event's message waits for an instance that subscribes later.
func NewConsumer(a *app.Service, within func(context.Context, pgx.Tx, func(app.Tx) error) error, ttl time.Duration, log *slog.Logger) *Consumer {
	return &Consumer{app: a, within: within, ttl: ttl, log: log}
}

// Run consumes the events of each BB in bbs (from stream GOVSTACK_<BB>) until ctx is done.
func (c *Consumer) Run(ctx context.Context, js jetstream.JetStream, pool *pgxpool.Pool, bbs []string) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, bb := range bbs {
		g.Go(func() error {
			return inbox.Consume(gctx, js, pool, inbox.ConsumerOptions{Stream: natsbus.StreamName(bb), Durable: "workflow-messages-" + bb,
				FilterSubjects: []string{"govstack." + bb + ".v1.>"}, Logger: c.log}, c.Handle)
		})
	}
	return g.Wait()
}

// Handle publishes the event as a message, in the inbox's transaction.
func (c *Consumer) Handle(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	vars := map[string]any{}
	if len(d.Data) > 0 {
		if err := json.Unmarshal(d.Data, &vars); err != nil {
			vars = map[string]any{}
		}
	}
	vars["eventId"], vars["eventType"], vars["eventSource"] = d.ID, d.Type, d.Source
	err := c.within(ctx, tx, func(t app.Tx) error {
		_, err := c.app.PublishWithin(ctx, t, app.PublishInput{Name: d.Type, CorrelationKey: d.Subject, MessageID: d.ID, TTL: c.ttl, Vars: vars})
		return err
	})
	if err == nil {
		// The correlations are signals the loop sees once the inbox commits; this wake usually comes just
		// after, and the loop's poll bound covers the case it does not.
		c.app.Wake()
	}
	return err
}
