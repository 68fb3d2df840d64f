// Package outbox is the transactional outbox of ARCHITECTURE.md §6: a state change and the events announcing
// it commit in one Postgres transaction (Add), and a relay publishes committed events to JetStream afterwards
// (Relay). Nothing is announced that did not happen, and nothing that happened goes unannounced.
//
// Delivery is at least once from the relay's side and exactly once in the stream: every message carries its
// event id as Nats-Msg-Id, so the stream's duplicate window absorbs a relay that published but crashed
// before marking the rows sent.
package outbox

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the outbox table. Apply it with the BB's own set: pgstore.Migrate(ctx, pool, own,
// outbox.Migrations). Its goose version table is outbox_migrations.
var Migrations = pgstore.MigrationSet{Name: "outbox", FS: migrationFiles, Dir: "migrations"}

// notifyChannel is the LISTEN/NOTIFY channel that wakes relays when events commit.
const notifyChannel = "outbox"

// Event is one CloudEvent to publish.
type Event struct {
	ID      string        // uuid; generated (time-ordered v7) if empty; becomes ce-id and Nats-Msg-Id
	Type    string        // e.g. govstack.registries.v1.record.created — also the NATS subject
	Source  string        // e.g. "govstack/registries"
	Subject string        // optional CloudEvents subject (the resource id)
	Payload proto.Message // encoded with protojson
}

// Add stores events in tx, so they are published if and only if tx commits. The trace context of ctx is
// stored with them, so a consumer's span joins the trace of the request that caused the event.
func Add(ctx context.Context, tx pgx.Tx, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	trace := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, trace)

	batch := &pgx.Batch{}
	for _, e := range events {
		id, payload, err := encode(e)
		if err != nil {
			return err
		}
		batch.Queue(`INSERT INTO outbox (id, type, source, subject, payload, trace_headers)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, e.Type, e.Source, e.Subject, payload, map[string]string(trace))
	}
	// Delivered at commit only, and collapsed with other notifications of the same transaction.
	batch.Queue(`SELECT pg_notify($1, '')`, notifyChannel)
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("outbox: add: %w", pgstore.MapError(err))
	}
	return nil
}

func encode(e Event) (uuid.UUID, []byte, error) {
	if e.Type == "" || e.Source == "" {
		return uuid.Nil, nil, errors.New("outbox: event needs a Type and a Source")
	}
	if e.Payload == nil {
		return uuid.Nil, nil, fmt.Errorf("outbox: event %s has no payload", e.Type)
	}
	var id uuid.UUID
	var err error
	if e.ID == "" {
		// v7 ids sort by creation time, which keeps the relay's ORDER BY created_at, id close to commit order
		// for events of one transaction (they share created_at).
		id, err = uuid.NewV7()
	} else {
		id, err = uuid.Parse(e.ID)
	}
	if err != nil {
		return uuid.Nil, nil, fmt.Errorf("outbox: event id: %w", err)
	}
	payload, err := protojson.Marshal(e.Payload)
	if err != nil {
		return uuid.Nil, nil, fmt.Errorf("outbox: encode %s payload: %w", e.Type, err)
	}
	return id, payload, nil
}
