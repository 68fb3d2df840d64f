-- +goose Up
-- Events a consumer has applied. The row is written in the same transaction as the handler's effect, so a
-- redelivered event finds it and has no second effect.
CREATE TABLE inbox (
    consumer     text NOT NULL,   -- the durable consumer's name
    event_id     text NOT NULL,   -- ce-id (Nats-Msg-Id as a fallback)
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- +goose Down
DROP TABLE inbox;
