-- +goose Up
-- Events waiting to be published to JetStream. A row is written in the same transaction as the state change
-- it announces and marked published_at once JetStream has acknowledged it.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,          -- ce-id and Nats-Msg-Id
    type          text NOT NULL,             -- ce-type, also the NATS subject
    source        text NOT NULL,             -- ce-source
    subject       text NOT NULL DEFAULT '',  -- ce-subject; '' when the event has none
    payload       bytea NOT NULL,            -- protojson of the payload message
    trace_headers jsonb NOT NULL DEFAULT '{}', -- traceparent/tracestate of the transaction that wrote the event
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);

-- The relay only ever reads unpublished rows, oldest first; published rows stay out of the index.
CREATE INDEX outbox_pending_idx ON outbox (created_at, id) WHERE published_at IS NULL;

-- +goose Down
DROP TABLE outbox;
