// Package inbox makes event consumers idempotent (ARCHITECTURE.md §6). JetStream delivers at least once;
// Process records the event id in the inbox table in the same transaction as the handler's effect, so a
// second delivery of the same event changes nothing. Consume runs a durable pull consumer around it.
package inbox

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the inbox table. Apply it with the BB's own set; its goose version table is
// inbox_migrations.
var Migrations = pgstore.MigrationSet{Name: "inbox", FS: migrationFiles, Dir: "migrations"}

// Delivery is one received CloudEvent.
type Delivery struct {
	ID, Type, Source, Subject string
	Time                      time.Time
	Data                      []byte // protojson of the payload message
	Headers                   nats.Header
}

// Handler applies an event's effect within tx. It must have no effect outside tx: the transaction is what
// makes a retried or redelivered event harmless.
type Handler func(ctx context.Context, tx pgx.Tx, d Delivery) error

// Process runs h in a transaction that first records (consumer, d.ID). If the event was already recorded, h
// is not called and applied is false. If h fails, nothing is recorded and the event may be retried.
func Process(ctx context.Context, pool *pgxpool.Pool, consumer string, d Delivery, h Handler) (applied bool, err error) {
	if consumer == "" || d.ID == "" {
		return false, errors.New("inbox: process needs a consumer name and an event id")
	}
	err = pgstore.InTx(ctx, pool, func(tx pgx.Tx) error {
		applied = false
		// A concurrent delivery of the same event waits here on the uncommitted row, then finds it.
		tag, err := tx.Exec(ctx, `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			consumer, d.ID)
		if err != nil {
			return fmt.Errorf("inbox: record %s: %w", d.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		if err := h(ctx, tx, d); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if err != nil {
		return false, err
	}
	return applied, nil
}

// DeliveryFromMsg reads a message in the CloudEvents NATS binding. The id falls back to Nats-Msg-Id and the
// type to the subject, so plain JetStream messages with a message id are accepted too. A message without any
// id, or with a malformed ce-time, is an error: it can never be processed idempotently.
func DeliveryFromMsg(m jetstream.Msg) (Delivery, error) {
	h := m.Headers()
	d := Delivery{
		ID:      h.Get("ce-id"),
		Type:    h.Get("ce-type"),
		Source:  h.Get("ce-source"),
		Subject: h.Get("ce-subject"),
		Data:    m.Data(),
		Headers: h,
	}
	if d.ID == "" {
		d.ID = h.Get(jetstream.MsgIDHeader)
	}
	if d.ID == "" {
		return Delivery{}, fmt.Errorf("inbox: message on %s has neither ce-id nor %s", m.Subject(), jetstream.MsgIDHeader)
	}
	if d.Type == "" {
		d.Type = m.Subject()
	}
	if s := h.Get("ce-time"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return Delivery{}, fmt.Errorf("inbox: event %s: bad ce-time %q", d.ID, s)
		}
		d.Time = t
	} else if md, err := m.Metadata(); err == nil {
		d.Time = md.Timestamp // when the stream stored it: the best we know
	}
	return d, nil
}
