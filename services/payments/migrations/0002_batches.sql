-- +goose Up
-- G2P bulk disbursement: batches, their instructions, account validations, the identity-account mapper,
-- callbacks to X-Callback-URL and the audit log.

CREATE TABLE batch (
    id                   text PRIMARY KEY,
    tenant               text NOT NULL,
    client               text NOT NULL,
    correlation_id       text NOT NULL DEFAULT '',
    callback_url         text NOT NULL DEFAULT '',
    program_id           text NOT NULL DEFAULT '',
    institution          text NOT NULL DEFAULT '',
    payer                text NOT NULL DEFAULT '',
    currency             text NOT NULL,
    status               text NOT NULL CHECK (status IN ('RECEIVED', 'VALIDATED', 'AWAITING_APPROVAL', 'AUTHORIZED', 'COMPLETED', 'REJECTED')),
    approvals_required   integer NOT NULL DEFAULT 1,
    approvals            jsonb NOT NULL DEFAULT '[]',
    authorized           text NOT NULL DEFAULT '' CHECK (authorized IN ('', 'Y', 'N')),
    auth_reason          text NOT NULL DEFAULT '',
    auth_correlation_id  text NOT NULL DEFAULT '',
    clearing_account_id  text NOT NULL DEFAULT '',
    clearing_transfer_id text NOT NULL DEFAULT '',
    release_transfer_id  text NOT NULL DEFAULT '',
    lease_until          timestamptz,
    created_at           timestamptz NOT NULL,
    validated_at         timestamptz,
    authorized_at        timestamptz,
    completed_at         timestamptz
);
-- One batch per correlation id of a tenant's client: the idempotency key, enforced once more here.
CREATE UNIQUE INDEX batch_correlation ON batch (tenant, client, correlation_id) WHERE correlation_id <> '';
CREATE INDEX batch_active ON batch (status) WHERE status IN ('RECEIVED', 'AUTHORIZED');

CREATE TABLE instruction (
    batch_id          text    NOT NULL REFERENCES batch (id),
    seq               integer NOT NULL,
    id                text    NOT NULL,
    rail_id           text    NOT NULL UNIQUE,
    tenant            text    NOT NULL,
    payee_identity    text    NOT NULL DEFAULT '',
    modality          text    NOT NULL DEFAULT '',
    financial_address text    NOT NULL DEFAULT '',
    fsp               text    NOT NULL DEFAULT '',
    rail              text    NOT NULL DEFAULT '',
    amount            bigint  NOT NULL CHECK (amount > 0),
    currency          text    NOT NULL,
    narration         text    NOT NULL DEFAULT '',
    refs              jsonb   NOT NULL DEFAULT '{}',
    status            text    NOT NULL CHECK (status IN ('RECEIVED', 'VALID', 'INVALID', 'SUBMITTING', 'SUBMITTED',
                                                         'IN_DOUBT', 'COMPLETED', 'FAILED', 'REVERSED')),
    reason            text    NOT NULL DEFAULT '',
    rail_ref          text    NOT NULL DEFAULT '',
    attempts          integer NOT NULL DEFAULT 0,
    transfer_id       text    NOT NULL DEFAULT '',
    submitted_at      timestamptz,
    completed_at      timestamptz,
    next_check_at     timestamptz,
    PRIMARY KEY (batch_id, seq),
    -- A payment handed over twice (in two batches) is refused, never paid twice.
    UNIQUE (tenant, id)
);
CREATE INDEX instruction_to_submit ON instruction (batch_id, seq) WHERE status = 'VALID';
CREATE INDEX instruction_in_flight ON instruction (next_check_at) WHERE status IN ('SUBMITTING', 'SUBMITTED', 'IN_DOUBT');
CREATE INDEX instruction_batch_status ON instruction (batch_id, status);

-- Account validations asked for with Bulk_ValidateAccount (a batch's own are its instructions' states).
CREATE TABLE validation (
    id             text NOT NULL,
    tenant         text NOT NULL,
    client         text NOT NULL,
    correlation_id text NOT NULL DEFAULT '',
    callback_url   text NOT NULL DEFAULT '',
    status         text NOT NULL CHECK (status IN ('PENDING', 'DONE')),
    lease_until    timestamptz,
    created_at     timestamptz NOT NULL,
    done_at        timestamptz,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE validation_item (
    tenant            text NOT NULL,
    validation_id     text NOT NULL,
    instruction_id    text NOT NULL,
    modality          text NOT NULL DEFAULT '',
    financial_address text NOT NULL,
    fsp               text NOT NULL DEFAULT '',
    status            text NOT NULL CHECK (status IN ('PENDING', 'VALID', 'INVALID')),
    reason            text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, validation_id, instruction_id),
    FOREIGN KEY (tenant, validation_id) REFERENCES validation (tenant, id)
);

-- The identity-account mapper: a functional id → where it is paid.
CREATE TABLE beneficiary (
    tenant            text NOT NULL,
    payee_identity    text NOT NULL,
    modality          text NOT NULL,
    financial_address text NOT NULL,
    fsp               text NOT NULL DEFAULT '',
    institution       text NOT NULL,
    active            boolean NOT NULL DEFAULT true,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant, payee_identity)
);
-- The outcome of each register or update request, for its callback and poll twin.
CREATE TABLE mapper_request (
    tenant      text NOT NULL,
    request_id  text NOT NULL,
    institution text NOT NULL,
    failed      jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant, request_id)
);

-- Callbacks to X-Callback-URL, written in the transaction of the state they report and delivered with
-- backoff. The body is rendered when it is sent, by the same code as the callback's poll twin.
CREATE TABLE callback (
    id              text PRIMARY KEY,
    tenant          text NOT NULL,
    url             text NOT NULL,
    kind            text NOT NULL,
    subject         text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz,
    gave_up_at      timestamptz,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL
);
CREATE INDEX callback_due ON callback (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;

-- Who did what, when: append-only, like the ledger's transfers.
CREATE TABLE audit_log (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL,
    tenant  text NOT NULL,
    client  text NOT NULL,
    actor   text NOT NULL DEFAULT '',
    action  text NOT NULL,
    object  text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_object ON audit_log (object);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION ledger_transfer_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfer_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP TABLE callback;
DROP TABLE mapper_request;
DROP TABLE beneficiary;
DROP TABLE validation_item;
DROP TABLE validation;
DROP TABLE instruction;
DROP TABLE batch;
