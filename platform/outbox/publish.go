package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// pending is one unpublished outbox row.
type pending struct {
	ID           uuid.UUID
	Type         string
	Source       string
	Subject      string
	Payload      []byte
	TraceHeaders map[string]string
	CreatedAt    time.Time
}

// SKIP LOCKED lets several relays (replicas) work side by side: each takes the rows no other relay holds.
const selectPending = `SELECT id, type, source, subject, payload, trace_headers, created_at
	FROM outbox WHERE published_at IS NULL
	ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`

// PublishPending makes one pass: it locks up to BatchSize unpublished rows, publishes them, waits for
// JetStream's acks and marks the acknowledged rows published, all in one transaction. It returns how many
// rows it marked. Rows whose publish failed stay pending for the next pass, and the error says why.
func (r *Relay) PublishPending(ctx context.Context) (int, error) {
	var marked int
	var pubErr error
	err := pgstore.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		marked, pubErr = 0, nil
		rows, err := tx.Query(ctx, selectPending, r.opts.BatchSize)
		if err != nil {
			return err
		}
		batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pending])
		if err != nil || len(batch) == 0 {
			return err
		}
		var acked []uuid.UUID
		acked, pubErr = r.publish(ctx, batch)
		if len(acked) == 0 {
			return nil
		}
		tag, err := tx.Exec(ctx, `UPDATE outbox SET published_at = now() WHERE id = ANY($1)`, acked)
		marked = int(tag.RowsAffected())
		return err
	})
	if err != nil {
		// Whatever was published is unmarked again; the duplicate window makes the next pass harmless.
		return 0, fmt.Errorf("outbox: relay pass: %w", err)
	}
	return marked, pubErr
}

// publish sends the whole batch asynchronously, then collects acks, so one pass costs about one round trip
// to JetStream rather than one per event. It returns the ids JetStream acknowledged (duplicates included:
// those were stored by an earlier pass).
func (r *Relay) publish(ctx context.Context, batch []pending) ([]uuid.UUID, error) {
	var errs []error
	futures := make([]jetstream.PubAckFuture, 0, len(batch))
	for _, p := range batch {
		f, err := r.js.PublishMsgAsync(message(p))
		if err != nil {
			// Stop here: later events would overtake this one in the stream for no benefit.
			errs = append(errs, fmt.Errorf("publish %s: %w", p.ID, err))
			break
		}
		futures = append(futures, f)
	}

	timeout := time.NewTimer(r.opts.PublishTimeout)
	defer timeout.Stop()
	acked := make([]uuid.UUID, 0, len(futures))
	for i, f := range futures {
		select {
		case <-f.Ok():
			acked = append(acked, batch[i].ID)
		case err := <-f.Err():
			errs = append(errs, fmt.Errorf("publish %s: %w", batch[i].ID, err))
		case <-timeout.C:
			return acked, errors.Join(append(errs, fmt.Errorf("%d acks missing after %s", len(futures)-i, r.opts.PublishTimeout))...)
		case <-ctx.Done():
			return acked, errors.Join(append(errs, ctx.Err())...)
		}
	}
	return acked, errors.Join(errs...)
}

// message renders a row in the CloudEvents NATS binding (binary mode: attributes in ce-* headers, the
// protojson payload as the body).
func message(p pending) *nats.Msg {
	m := nats.NewMsg(p.Type)
	m.Data = p.Payload
	id := p.ID.String()
	h := m.Header
	h.Set(jetstream.MsgIDHeader, id)
	h.Set("ce-specversion", "1.0")
	h.Set("ce-id", id)
	h.Set("ce-type", p.Type)
	h.Set("ce-source", p.Source)
	h.Set("ce-time", p.CreatedAt.UTC().Format(time.RFC3339Nano))
	if p.Subject != "" {
		h.Set("ce-subject", p.Subject)
	}
	h.Set("content-type", "application/json")
	for k, v := range p.TraceHeaders {
		h.Set(k, v)
	}
	return m
}
