-- +goose Up
-- The double-entry ledger (ADR 0014). Amounts are bigint minor units of the account's currency.

-- An account of one tenant in one currency; its balance is four counters changed only by conditional UPDATEs.
CREATE TABLE ledger_account (
    id                             text PRIMARY KEY,
    tenant                         text    NOT NULL,
    code                           text    NOT NULL,
    currency                       text    NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    debits_must_not_exceed_credits boolean NOT NULL DEFAULT false,
    credits_must_not_exceed_debits boolean NOT NULL DEFAULT false,
    debits_pending                 bigint  NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted                  bigint  NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending                bigint  NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted                 bigint  NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at                     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, code, currency),
    -- The flags are also enforced here, as a last line behind the conditional UPDATE's WHERE.
    CHECK (NOT debits_must_not_exceed_credits OR debits_pending + debits_posted <= credits_posted),
    CHECK (NOT credits_must_not_exceed_debits OR credits_pending + credits_posted <= debits_posted)
);

-- Transfers: append-only. A post, void or expire row resolves the pending row it names; the unique index on
-- pending_id lets exactly one resolution of a pending transfer exist, whoever races to write it.
CREATE TABLE ledger_transfer (
    id             text PRIMARY KEY,
    tenant         text   NOT NULL,
    kind           text   NOT NULL CHECK (kind IN ('posted', 'pending', 'post', 'void', 'expire')),
    debit_account  text   NOT NULL REFERENCES ledger_account (id),
    credit_account text   NOT NULL REFERENCES ledger_account (id),
    amount         bigint NOT NULL CHECK (amount > 0),
    currency       text   NOT NULL,
    pending_id     text REFERENCES ledger_transfer (id),
    expires_at     timestamptz,
    reference      text   NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (debit_account <> credit_account),
    CHECK ((kind IN ('post', 'void', 'expire')) = (pending_id IS NOT NULL)),
    CHECK (expires_at IS NULL OR kind = 'pending')
);
CREATE UNIQUE INDEX ledger_transfer_resolves_once ON ledger_transfer (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfer_debit ON ledger_transfer (debit_account);
CREATE INDEX ledger_transfer_credit ON ledger_transfer (credit_account);
CREATE INDEX ledger_transfer_reference ON ledger_transfer (reference) WHERE reference <> '';
CREATE INDEX ledger_transfer_expiring ON ledger_transfer (expires_at) WHERE expires_at IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION ledger_transfer_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation', HINT = 'write a new row instead (a post, void or reversal transfer)';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_transfer_no_update BEFORE UPDATE OR DELETE ON ledger_transfer
    FOR EACH ROW EXECUTE FUNCTION ledger_transfer_append_only();
CREATE TRIGGER ledger_transfer_no_truncate BEFORE TRUNCATE ON ledger_transfer
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfer_append_only();

-- +goose Down
DROP TABLE ledger_transfer;
DROP FUNCTION ledger_transfer_append_only();
DROP TABLE ledger_account;
