-- +goose Up
-- GovStack's event, message, alert_schedule and log resources: kept as their JSON details plus the columns
-- their list filters use. Nothing in the booking model depends on them, so one table serves all four.
CREATE TABLE govstack_record (
    kind       text        NOT NULL CHECK (kind IN ('event', 'message', 'alert_schedule', 'log')),
    id         text        NOT NULL,
    entity_id  text        NOT NULL DEFAULT '',
    category   text        NOT NULL DEFAULT '',
    name       text        NOT NULL DEFAULT '',
    at         timestamptz,
    details    jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
CREATE INDEX govstack_record_at_idx ON govstack_record (kind, at);

-- +goose Down
DROP TABLE govstack_record;
