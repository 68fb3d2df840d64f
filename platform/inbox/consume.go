package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// ConsumerOptions describe a durable pull consumer. Durable also names the consumer in the inbox table, so
// two durables on the same events each apply them once.
type ConsumerOptions struct {
	Stream, Durable string
	FilterSubjects  []string        // empty: every subject of the stream
	MaxDeliver      int             // deliveries before a failing event is given up; default 10
	BackOff         []time.Duration // delay before redelivering a failed event, by attempt (last repeats); default 1s, 5s, 30s, 1m, 5m
	AckWait         time.Duration   // redelivery after a consumer crash; default 30s
	Logger          *slog.Logger
}

var defaultBackOff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute}

var tracer = otel.Tracer("github.com/govstackbb/marketplace/platform/inbox")

// Consume runs a durable pull consumer until ctx is done, then returns nil. Each message gets a consumer span
// continuing the producer's trace; h runs through Process; success acks, failure naks with backoff (and
// terminates on the last allowed delivery), and an undecodable message is terminated at once.
func Consume(ctx context.Context, js jetstream.JetStream, pool *pgxpool.Pool, o ConsumerOptions, h Handler) error {
	if o.Stream == "" || o.Durable == "" {
		return errors.New("inbox: consume needs a Stream and a Durable name")
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 10
	}
	if len(o.BackOff) == 0 {
		o.BackOff = defaultBackOff
	}
	if o.AckWait <= 0 {
		o.AckWait = 30 * time.Second
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	c := &consumer{pool: pool, opts: o, handler: h, log: log.With("consumer", o.Durable, "stream", o.Stream)}

	failures := 0
	for ctx.Err() == nil {
		err := c.run(ctx, js)
		if ctx.Err() != nil {
			break
		}
		failures++
		wait := min(100*time.Millisecond<<min(failures-1, 10), 10*time.Second)
		c.logRestart(ctx, err, failures, wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
	return nil
}

// quietStreamWaits is how many restarts for a stream that does not exist yet are logged at info: at start
// the producing BB may simply not have made its stream; after that, a missing stream is worth a warning.
const quietStreamWaits = 8

// logRestart tells the operator why the consumer starts over.
func (c *consumer) logRestart(ctx context.Context, err error, failures int, wait time.Duration) {
	if errors.Is(err, jetstream.ErrStreamNotFound) && failures <= quietStreamWaits {
		c.log.InfoContext(ctx, "waiting for the producing building block to create its stream", "retry_in", wait)
		return
	}
	c.log.WarnContext(ctx, "inbox consumer interrupted; restarting", "error", err, "retry_in", wait)
}

type consumer struct {
	pool    *pgxpool.Pool
	opts    ConsumerOptions
	handler Handler
	log     *slog.Logger
}

// run creates (or updates) the durable consumer and handles messages until ctx is done or the iterator
// fails; Consume then starts over, which also recreates a deleted consumer.
func (c *consumer) run(ctx context.Context, js jetstream.JetStream) error {
	cons, err := js.CreateOrUpdateConsumer(ctx, c.opts.Stream, jetstream.ConsumerConfig{
		Durable:        c.opts.Durable,
		FilterSubjects: c.opts.FilterSubjects,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        c.opts.AckWait,
		MaxDeliver:     c.opts.MaxDeliver,
	})
	if err != nil {
		return fmt.Errorf("create consumer: %w", err)
	}
	// Handling is sequential, and AckWait runs from delivery to this process: a small buffer keeps waiting
	// messages from timing out behind a slow handler.
	iter, err := cons.Messages(jetstream.PullMaxMessages(16))
	if err != nil {
		return fmt.Errorf("pull: %w", err)
	}
	defer iter.Stop()
	for {
		m, err := iter.Next(jetstream.NextContext(ctx))
		if err != nil {
			return err
		}
		c.handle(ctx, m)
	}
}

func (c *consumer) handle(ctx context.Context, m jetstream.Msg) {
	d, err := DeliveryFromMsg(m)
	if err != nil {
		c.log.WarnContext(ctx, "terminating undecodable message", "subject", m.Subject(), "error", err)
		_ = m.TermWithReason("undecodable: " + err.Error())
		return
	}
	ctx = otel.GetTextMapPropagator().Extract(ctx, headerCarrier(d.Headers))
	ctx, span := tracer.Start(ctx, "process "+d.Type, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "nats"),
			attribute.String("messaging.destination.name", m.Subject()),
			attribute.String("messaging.message.id", d.ID),
			attribute.String("messaging.consumer.group.name", c.opts.Durable),
		))
	defer span.End()

	applied, err := Process(ctx, c.pool, c.opts.Durable, d, c.handler)
	if err != nil && ctx.Err() != nil {
		_ = m.Nak() // shutting down: hand the event straight to another replica
		return
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "handler failed")
		c.retry(ctx, m, d, err)
		return
	}
	// A lost ack only causes a redelivery, which the inbox then skips.
	if err := m.Ack(); err != nil {
		c.log.WarnContext(ctx, "ack failed; the event will be redelivered and skipped", "event_id", d.ID, "error", err)
	}
	c.log.DebugContext(ctx, "event processed", "event_id", d.ID, "type", d.Type, "applied", applied)
}

// retry naks m with the backoff for its delivery count, or terminates it on the last allowed delivery so
// the give-up is logged here rather than happening silently in the server.
func (c *consumer) retry(ctx context.Context, m jetstream.Msg, d Delivery, cause error) {
	attempt := 1
	if md, err := m.Metadata(); err == nil {
		attempt = int(md.NumDelivered)
	}
	if attempt >= c.opts.MaxDeliver {
		c.log.ErrorContext(ctx, "event failed on its last delivery; giving up", "event_id", d.ID, "type", d.Type,
			"attempts", attempt, "error", cause)
		_ = m.TermWithReason("max deliveries reached")
		return
	}
	delay := c.opts.BackOff[min(attempt, len(c.opts.BackOff))-1]
	c.log.WarnContext(ctx, "event failed; will be redelivered", "event_id", d.ID, "type", d.Type,
		"attempt", attempt, "retry_in", delay, "error", cause)
	if err := m.NakWithDelay(delay); err != nil {
		c.log.WarnContext(ctx, "nak failed; redelivery after AckWait", "event_id", d.ID, "error", err)
	}
}
