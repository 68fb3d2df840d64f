-- +goose Up
-- One row per accepted API request. (api_key_name, request_uid) is the idempotency key: a repeated request
-- finds this row and gets the stored first answer back.
CREATE TABLE request (
    id           uuid        PRIMARY KEY,
    api_key_name text        NOT NULL,
    request_uid  text        NOT NULL CHECK (request_uid <> '' AND length(request_uid) <= 200),
    channel      text        NOT NULL CHECK (channel IN ('email', 'sms')),
    callback_uri text        NOT NULL DEFAULT '',
    response     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (api_key_name, request_uid)
);

-- One row per recipient. Rows are written before the API answers and are never deleted by the dispatcher,
-- so an accepted message cannot be lost. Rejected recipients are rows too (status not_sent) so the status
-- call shows them.
CREATE TABLE message (
    id              uuid        PRIMARY KEY,
    request_id      uuid        REFERENCES request (id),
    position        integer     NOT NULL DEFAULT 0,
    channel         text        NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       text        NOT NULL,
    recipient_name  text        NOT NULL DEFAULT '',
    cc              text        NOT NULL DEFAULT '',
    bcc             text        NOT NULL DEFAULT '',
    sender_name     text        NOT NULL DEFAULT '',
    sender_address  text        NOT NULL DEFAULT '',
    reply_to        text        NOT NULL DEFAULT '',
    subject         text        NOT NULL DEFAULT '',
    body_text       text        NOT NULL DEFAULT '',
    body_html       text        NOT NULL DEFAULT '',
    transactional   boolean     NOT NULL DEFAULT false,
    trigger_event   text        NOT NULL DEFAULT '',
    status          text        NOT NULL CHECK (status IN
                        ('scheduled', 'processing', 'deferred', 'bounced', 'not_sent', 'delivered', 'dead_letter')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- A claim: the dispatcher that set status processing owns the row until lease_until; after that any
    -- dispatcher may take it again (a crashed dispatcher's claims come back).
    lease_token     uuid,
    lease_until     timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'processing') = (lease_token IS NOT NULL))
);
CREATE INDEX message_due ON message (next_attempt_at) WHERE status IN ('scheduled', 'deferred');
CREATE INDEX message_leased ON message (lease_until) WHERE status = 'processing';
CREATE INDEX message_request ON message (request_id, position);
CREATE INDEX message_dead ON message (updated_at) WHERE status = 'dead_letter';
CREATE INDEX message_recipient_recent ON message (channel, recipient, created_at);

-- Callback content POSTed by clients to /callback/email and /callback/sms.
CREATE TABLE inbound_callback (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  uuid        NOT NULL REFERENCES request (id),
    meta        text        NOT NULL DEFAULT '',
    content     bytea       NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL DEFAULT now()
);

-- Delivery reports to POST to a requester's callback URI; a separate loop sends them so a slow receiver
-- never blocks the dispatcher.
CREATE TABLE outgoing_callback (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      uuid        NOT NULL REFERENCES message (id),
    uri             text        NOT NULL,
    payload         jsonb       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    done_at         timestamptz,
    last_error      text        NOT NULL DEFAULT ''
);
CREATE INDEX outgoing_callback_due ON outgoing_callback (next_attempt_at) WHERE done_at IS NULL;

-- Named, versioned templates per channel and language.
CREATE TABLE template (
    name       text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,99}$'),
    channel    text        NOT NULL CHECK (channel IN ('email', 'sms')),
    language   text        NOT NULL CHECK (language ~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'),
    version    integer     NOT NULL CHECK (version > 0),
    subject    text        NOT NULL DEFAULT '',
    text_body  text        NOT NULL,
    html_body  text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, channel, language, version)
);

-- Addresses that receive no non-transactional messages.
CREATE TABLE opt_out (
    channel    text        NOT NULL CHECK (channel IN ('email', 'sms')),
    address    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, address)
);

-- Event-triggered notifications: an event of event_type (its NATS subject) sends template to the address(es)
-- at recipient_pointer (a JSON pointer into the event's protojson payload; an array sends to each element, and
-- an element that is an object contributes its "email" or "phone" member). When condition_pointer is set the
-- rule applies only if the payload's value there equals condition_value.
CREATE TABLE notification_rule (
    id                integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_type        text        NOT NULL CHECK (event_type ~ '^govstack\.[a-z]+\.v[0-9]+\.'),
    template_name     text        NOT NULL,
    channel           text        NOT NULL CHECK (channel IN ('email', 'sms')),
    language          text        NOT NULL DEFAULT 'en',
    recipient_pointer text        NOT NULL CHECK (recipient_pointer LIKE '/%'),
    condition_pointer text        NOT NULL DEFAULT '',
    condition_value   text        NOT NULL DEFAULT '',
    transactional     boolean     NOT NULL DEFAULT false,
    enabled           boolean     NOT NULL DEFAULT true,
    UNIQUE (event_type, template_name, channel, recipient_pointer)
);
