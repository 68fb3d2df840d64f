-- +goose Up
-- P2G: bills billers present, and requests to pay.
CREATE TABLE bill (
    id               text PRIMARY KEY,
    biller_id        text NOT NULL,
    biller_name      text NOT NULL DEFAULT '',
    tenant           text NOT NULL,
    biller_client    text NOT NULL,
    callback_url     text NOT NULL DEFAULT '',
    status           text NOT NULL CHECK (status IN ('UNPAID', 'PAID')),
    due_date         timestamptz,
    amount_on_due    bigint NOT NULL CHECK (amount_on_due > 0),
    amount_after_due bigint NOT NULL DEFAULT 0 CHECK (amount_after_due >= 0),
    currency         text NOT NULL,
    amount_paid      bigint NOT NULL DEFAULT 0,
    paid_at          timestamptz,
    payment_ref      text NOT NULL DEFAULT '',
    payer_fi         text NOT NULL DEFAULT '',
    channel          text NOT NULL DEFAULT '',
    ack_status       text NOT NULL DEFAULT '',
    ack_reason       text NOT NULL DEFAULT ''
);

CREATE TABLE rtp (
    id                text PRIMARY KEY,
    request_id        text NOT NULL DEFAULT '',
    bill_id           text NOT NULL REFERENCES bill (id),
    biller_id         text NOT NULL,
    tenant            text NOT NULL,
    client            text NOT NULL,
    callback_url      text NOT NULL DEFAULT '',
    payer_fi          text NOT NULL DEFAULT '',
    financial_address text NOT NULL DEFAULT '',
    alias_type        text NOT NULL DEFAULT '',
    alias_id          text NOT NULL DEFAULT '',
    amount            bigint NOT NULL,
    currency          text NOT NULL,
    status            text NOT NULL CHECK (status IN ('PND', 'COM', 'RJC', 'EXP', 'CAN')),
    reject_reason     text NOT NULL DEFAULT '',
    payment_ref       text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- +goose Down
DROP TABLE rtp;
DROP TABLE bill;
