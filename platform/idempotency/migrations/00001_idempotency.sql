-- +goose Up
-- The answers to mutating calls made with an Idempotency-Key (issue 12): a retry with the same key and the
-- same request gets the first answer again instead of doing the work twice. A row is claimed ('running',
-- with a lease) before the handler runs and holds the answer once it is done.
CREATE TABLE idempotency_key (
    scope        text        NOT NULL,  -- the IM client and, when signed in, the person: whose key it is
    key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method       text        NOT NULL,  -- the gRPC method the key was first used with
    request_hash bytea       NOT NULL CHECK (length(request_hash) = 32),
    state        text        NOT NULL CHECK (state IN ('running', 'done')),
    lease_until  timestamptz NOT NULL,  -- a running claim older than this belongs to a process that died
    response     bytea,                 -- the answer message (protobuf), when it was a success
    status       bytea,                 -- the answer status (google.rpc.Status), when it was an error
    headers      jsonb       NOT NULL DEFAULT '{}', -- response header metadata the handler set (x-http-code, location)
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);

-- +goose Down
DROP TABLE idempotency_key;
