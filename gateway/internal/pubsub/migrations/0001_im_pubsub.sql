-- +goose Up
-- IM pub/sub. Event payloads live only in the JetStream stream GOVSTACK_IM_PUBSUB; Postgres holds what the
-- API must answer about them: event types and their schemas, an index of published events (publisher,
-- stream sequence, time; no payload), subscriptions with the durable consumer behind each, and per
-- subscription and event the delivery state and every delivery attempt. A room is the subsystem hosting the
-- event types, written INSTANCE/CLASS/MEMBER/SUBSYSTEM.

CREATE TABLE im_pubsub_event_type (
    room       text        NOT NULL CHECK (room <> ''),
    name       text        NOT NULL CHECK (name ~ '^[A-Za-z][A-Za-z0-9_-]{0,127}$'),
    schema     jsonb       NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room, name)
);

CREATE TABLE im_pubsub_event (
    id           uuid        PRIMARY KEY,
    room         text        NOT NULL,
    event_type   text        NOT NULL,
    publisher    text        NOT NULL,
    stream_seq   bigint      NOT NULL CHECK (stream_seq > 0),
    size_bytes   integer     NOT NULL CHECK (size_bytes >= 0),
    published_at timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz,
    FOREIGN KEY (room, event_type) REFERENCES im_pubsub_event_type (room, name) ON DELETE CASCADE
);
CREATE INDEX im_pubsub_event_type_idx ON im_pubsub_event (room, event_type, stream_seq);

-- event_type is not a foreign key: BB event types (e.g. govstack.registries.v1.record.created) are
-- configured in the gateway, not stored. Events of the subscription's stream with a sequence of at least
-- start_seq are the ones it receives.
CREATE TABLE im_pubsub_subscription (
    id          uuid        PRIMARY KEY,
    room        text        NOT NULL,
    event_type  text        NOT NULL,
    subscriber  text        NOT NULL,
    delivery    text        NOT NULL CHECK (delivery IN ('PUSH', 'PULL')),
    endpoint    text,
    ttl_seconds integer     NOT NULL CHECK (ttl_seconds > 0),
    fifo        boolean     NOT NULL DEFAULT false,
    stream      text        NOT NULL,
    subject     text        NOT NULL,
    consumer    text        NOT NULL UNIQUE,
    start_seq   bigint      NOT NULL CHECK (start_seq > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT im_pubsub_subscription_once UNIQUE (room, event_type, subscriber),
    CONSTRAINT im_pubsub_push_has_endpoint CHECK ((delivery = 'PUSH') = (endpoint IS NOT NULL))
);

-- One row per (subscription, event) once delivery started. event_id is text: BB events carry their
-- CloudEvents id. reply is the JetStream ack subject of a pull delivery awaiting its acknowledgement.
CREATE TABLE im_pubsub_delivery (
    subscription_id uuid        NOT NULL REFERENCES im_pubsub_subscription (id) ON DELETE CASCADE,
    event_id        text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('failed', 'delivered', 'dropped', 'leased', 'cancelled')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_status     integer,
    last_error      text,
    reply           text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscription_id, event_id)
);

-- The log of every delivery attempt. No foreign key: the log outlives a cancelled subscription.
CREATE TABLE im_pubsub_attempt (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id uuid        NOT NULL,
    event_id        text        NOT NULL,
    attempt         integer     NOT NULL CHECK (attempt > 0),
    status_code     integer,
    error           text,
    duration_ms     integer     NOT NULL DEFAULT 0,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX im_pubsub_attempt_event_idx ON im_pubsub_attempt (event_id, subscription_id);

-- +goose Down
DROP TABLE im_pubsub_attempt;
DROP TABLE im_pubsub_delivery;
DROP TABLE im_pubsub_subscription;
DROP TABLE im_pubsub_event;
DROP TABLE im_pubsub_event_type;
