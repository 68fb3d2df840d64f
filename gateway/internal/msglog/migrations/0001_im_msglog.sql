-- +goose Up
-- The IM message log and audit log: append-only, hash-chained, Ed25519-signed records. Every gateway replica
-- writes its own chain (chain_id, seq), so replicas never contend; admin actions share one audit chain whose
-- head row is locked FOR UPDATE by each writer, so concurrent admin changes serialise.

CREATE TABLE im_msglog_chain (
    chain_id   text        PRIMARY KEY CHECK (chain_id <> ''),
    kind       text        NOT NULL CHECK (kind IN ('message', 'audit')),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- first_seq is the oldest sequence number retention has kept; records below it were purged on purpose.
    first_seq  bigint      NOT NULL DEFAULT 1 CHECK (first_seq >= 1),
    -- head_seq/head_hash are the last record written (0 and 32 zero bytes for an empty chain): a deleted
    -- tail shows as records missing up to head_seq.
    head_seq   bigint      NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
    head_hash  bytea       NOT NULL DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000'
                           CHECK (length(head_hash) = 32)
);

-- The one audit chain every replica appends to.
INSERT INTO im_msglog_chain (chain_id, kind) VALUES ('audit', 'audit');

CREATE TABLE im_msglog_record (
    chain_id       text        NOT NULL REFERENCES im_msglog_chain (chain_id),
    seq            bigint      NOT NULL CHECK (seq >= 1),
    direction      text        NOT NULL CHECK (direction IN ('request', 'response', 'audit')),
    message_id     text        NOT NULL,
    client         text        NOT NULL DEFAULT '',
    service        text        NOT NULL DEFAULT '',
    -- The provider subsystem of the service (INSTANCE/CLASS/MEMBER/SUBSYSTEM): the operational-data API shows
    -- a provider the calls to its services. Derived, so not part of the signed encoding.
    provider       text        GENERATED ALWAYS AS (regexp_replace(service, '/[^/]*$', '')) STORED,
    endpoint       text        NOT NULL DEFAULT '',
    method         text        NOT NULL DEFAULT '',
    path           text        NOT NULL DEFAULT '' CHECK (position('?' IN path) = 0),
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL,
    status         integer     NOT NULL DEFAULT 0,
    size           bigint      NOT NULL DEFAULT 0 CHECK (size >= 0),
    body_sha256    bytea       NOT NULL DEFAULT '' CHECK (length(body_sha256) IN (0, 32)),
    body           bytea,
    trace_id       text        NOT NULL DEFAULT '',
    correlation_id text        NOT NULL DEFAULT '',
    actor          text        NOT NULL DEFAULT '',
    action         text        NOT NULL DEFAULT '',
    target         text        NOT NULL DEFAULT '',
    detail         text        NOT NULL DEFAULT '',
    -- Chain bookkeeping: when the writer chained the record, which key signed it, how many records the
    -- writer dropped (queue full) since the previous one, and the hash chain itself.
    logged_at      timestamptz NOT NULL,
    key_id         text        NOT NULL,
    dropped        bigint      NOT NULL DEFAULT 0 CHECK (dropped >= 0),
    prev_hash      bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash           bytea       NOT NULL CHECK (length(hash) = 32),
    signature      bytea       NOT NULL,
    PRIMARY KEY (chain_id, seq)
);

-- Operational data: a client's own calls and a provider's served calls, by time.
CREATE INDEX im_msglog_record_client ON im_msglog_record (client, started_at) WHERE direction <> 'audit';
CREATE INDEX im_msglog_record_provider ON im_msglog_record (provider, started_at) WHERE direction <> 'audit';
-- Retention: the oldest records per chain.
CREATE INDEX im_msglog_record_logged ON im_msglog_record (logged_at);

-- +goose Down
DROP TABLE im_msglog_record;
DROP TABLE im_msglog_chain;
