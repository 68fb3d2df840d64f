package outbox

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Collector keeps the domain events a unit of work publishes until the work has succeeded, then adds them
// to the outbox in its transaction. A BB's store embeds one in its transaction type, which gives it the
// Publish method the BB's app.Tx declares; E is the BB's domain event type.
type Collector[E any] struct {
	events []E
}

// Publish keeps events for the outbox; nothing is written until AddTo.
func (c *Collector[E]) Publish(events ...E) { c.events = append(c.events, events...) }

// AddTo encodes the kept events with the BB's encoder (its internal/events) and adds them to the outbox in
// tx, in the order they were published.
func (c *Collector[E]) AddTo(ctx context.Context, tx pgx.Tx, encode func(E) (Event, error)) error {
	return AddEncoded(ctx, tx, encode, c.events...)
}

// AddEncoded encodes domain events and adds them to the outbox in tx.
func AddEncoded[E any](ctx context.Context, tx pgx.Tx, encode func(E) (Event, error), events ...E) error {
	out := make([]Event, 0, len(events))
	for _, e := range events {
		oe, err := encode(e)
		if err != nil {
			return err
		}
		out = append(out, oe)
	}
	return Add(ctx, tx, out...)
}
