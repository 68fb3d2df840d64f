-- +goose Up
-- Vouchers: a number (the secret) stored only as an HMAC, a serial number for people, a reservation on the
-- program's budget.
CREATE SEQUENCE voucher_serial;

CREATE TABLE voucher (
    serial          text PRIMARY KEY,
    tenant          text NOT NULL,
    client          text NOT NULL,
    instruction_id  text NOT NULL DEFAULT '',
    group_code      text NOT NULL DEFAULT '',
    payee_identity  text NOT NULL DEFAULT '',
    program_id      text NOT NULL,
    narration       text NOT NULL DEFAULT '',
    currency        text NOT NULL,
    amount          bigint NOT NULL CHECK (amount > 0),
    status          text NOT NULL CHECK (status IN ('PRE_ACTIVATED', 'ACTIVE', 'REDEEMED', 'SUSPENDED', 'CANCELLED', 'EXPIRED')),
    number_hash     bytea NOT NULL UNIQUE CHECK (length(number_hash) = 32),
    transfer_id     text NOT NULL,
    failed_attempts integer NOT NULL DEFAULT 0,
    agent_id        text NOT NULL DEFAULT '',
    redemption_id   text NOT NULL DEFAULT '',
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    redeemed_at     timestamptz
);
CREATE INDEX voucher_transfer ON voucher (transfer_id);

-- The HMAC key voucher numbers are stored under, when GOVSTACK_PAYMENTS_VOUCHER_KEY does not give one (a
-- development stack): drawn once, at the first voucher.
CREATE TABLE voucher_key (
    id  boolean PRIMARY KEY DEFAULT true CHECK (id),
    key bytea NOT NULL
);

-- +goose Down
DROP TABLE voucher_key;
DROP TABLE voucher;
DROP SEQUENCE voucher_serial;
