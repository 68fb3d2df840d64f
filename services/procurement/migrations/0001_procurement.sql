-- +goose Up
-- Tenders: items, lots and award criteria are small lists read and written with their tender (jsonb); the
-- tender's X25519 public key seals bids, its private key is kept only wrapped by the service key.
CREATE TABLE tenders (
    id                text PRIMARY KEY,
    ocid              text NOT NULL UNIQUE,
    title             text NOT NULL,
    description       text NOT NULL,
    status            text NOT NULL CHECK (status IN ('draft', 'active', 'evaluation', 'awarded', 'contracted',
                                                      'complete', 'cancelled', 'unsuccessful')),
    buyer_org         text NOT NULL CHECK (buyer_org <> ''),
    buyer_id          text NOT NULL,
    buyer_email       text NOT NULL,
    estimated_value   text NOT NULL,
    currency          text NOT NULL,
    items             jsonb NOT NULL DEFAULT '[]',
    lots              jsonb NOT NULL DEFAULT '[]',
    criteria          jsonb NOT NULL DEFAULT '[]',
    documents         jsonb NOT NULL DEFAULT '[]',
    enquiry_days      int NOT NULL,
    tender_days       int NOT NULL,
    standstill_days   int NOT NULL,
    enquiry_end       timestamptz,
    tender_end        timestamptz,
    published_at      timestamptz,
    bids_opened_at    timestamptz,
    created_at        timestamptz NOT NULL,
    status_reason     text NOT NULL DEFAULT '',
    seal_public       bytea,
    seal_wrapped      bytea,
    -- When the consumer of the tender period's deadline unwrapped the key (only then).
    key_unwrapped_at  timestamptz,
    -- The Workflow instance of the procurement process (its people's steps are audited by it).
    process_instance_id text NOT NULL DEFAULT '',
    CHECK (status = 'draft' OR (seal_public IS NOT NULL AND seal_wrapped IS NOT NULL AND tender_end IS NOT NULL)),
    CHECK (enquiry_end IS NULL OR tender_end > enquiry_end)
);
CREATE INDEX tenders_by_status ON tenders (status, created_at DESC);
CREATE INDEX tenders_by_instance ON tenders (process_instance_id) WHERE process_instance_id <> '';

CREATE TABLE questions (
    id           text PRIMARY KEY,
    tender_id    text NOT NULL REFERENCES tenders (id),
    asked_by     text NOT NULL,
    asker_email  text NOT NULL,
    text         text NOT NULL CHECK (text <> ''),
    answer       text NOT NULL DEFAULT '',
    asked_at     timestamptz NOT NULL,
    answered_at  timestamptz,
    CHECK ((answer = '') = (answered_at IS NULL))
);
CREATE INDEX questions_by_tender ON questions (tender_id, asked_at);

-- Bids: until opened only the sealed contents exist; the database refuses plaintext on an unopened bid.
CREATE TABLE bids (
    id                      text PRIMARY KEY,
    tender_id               text NOT NULL REFERENCES tenders (id),
    company_id              text NOT NULL CHECK (company_id <> ''),
    supplier_id             text NOT NULL,
    supplier_email          text NOT NULL,
    status                  text NOT NULL CHECK (status IN ('submitted', 'withdrawn', 'eligible', 'disqualified',
                                                            'awarded', 'not_awarded')),
    sealed                  bytea NOT NULL,
    opened                  boolean NOT NULL DEFAULT false,
    price                   text,
    proposal                text,
    documents               jsonb,
    submitted_at            timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    disqualification_reason text NOT NULL DEFAULT '',
    total_score             bigint,
    rank                    int,
    CHECK (opened OR (price IS NULL AND proposal IS NULL AND documents IS NULL))
);
-- One live bid per company and tender.
CREATE UNIQUE INDEX bids_one_per_company ON bids (tender_id, company_id) WHERE status <> 'withdrawn';

CREATE TABLE declarations (
    tender_id    text NOT NULL REFERENCES tenders (id),
    evaluator_id text NOT NULL,
    conflict     boolean NOT NULL,
    statement    text NOT NULL,
    declared_at  timestamptz NOT NULL,
    PRIMARY KEY (tender_id, evaluator_id)
);

CREATE TABLE scores (
    tender_id    text NOT NULL REFERENCES tenders (id),
    bid_id       text NOT NULL REFERENCES bids (id),
    criterion_id text NOT NULL,
    evaluator_id text NOT NULL,
    score        int NOT NULL CHECK (score BETWEEN 0 AND 100),
    reason       text NOT NULL CHECK (reason <> ''),
    scored_at    timestamptz NOT NULL,
    PRIMARY KEY (bid_id, criterion_id, evaluator_id),
    -- A score needs its evaluator's declaration (one with a conflict is refused by the use case).
    FOREIGN KEY (tender_id, evaluator_id) REFERENCES declarations (tender_id, evaluator_id)
);

-- The evaluation's audit trail: append-only.
CREATE TABLE audit (
    id        bigserial PRIMARY KEY,
    tender_id text NOT NULL REFERENCES tenders (id),
    actor     text NOT NULL,
    action    text NOT NULL,
    subject   text NOT NULL,
    detail    text NOT NULL,
    at        timestamptz NOT NULL
);

CREATE TABLE awards (
    id              text PRIMARY KEY,
    tender_id       text NOT NULL UNIQUE REFERENCES tenders (id),
    bid_id          text NOT NULL REFERENCES bids (id),
    company_id      text NOT NULL,
    value           text NOT NULL,
    currency        text NOT NULL,
    status          text NOT NULL CHECK (status IN ('standstill', 'active', 'contracted', 'cancelled')),
    decided_at      timestamptz NOT NULL,
    standstill_end  timestamptz NOT NULL,
    standstill_over boolean NOT NULL DEFAULT false
);

CREATE TABLE complaints (
    id         text PRIMARY KEY,
    award_id   text NOT NULL REFERENCES awards (id),
    company_id text NOT NULL,
    text       text NOT NULL CHECK (text <> ''),
    status     text NOT NULL CHECK (status IN ('open', 'resolved')),
    resolution text NOT NULL DEFAULT '',
    filed_at   timestamptz NOT NULL
);

CREATE TABLE contracts (
    id           text PRIMARY KEY,
    tender_id    text NOT NULL UNIQUE REFERENCES tenders (id),
    award_id     text NOT NULL UNIQUE REFERENCES awards (id),
    company_id   text NOT NULL,
    value        text NOT NULL,
    currency     text NOT NULL,
    status       text NOT NULL CHECK (status IN ('active', 'terminated')),
    period_start timestamptz NOT NULL,
    period_end   timestamptz NOT NULL CHECK (period_end > period_start),
    signed_at    timestamptz NOT NULL,
    payee_key    text NOT NULL,
    payee_value  text NOT NULL
);

CREATE TABLE milestones (
    id               text PRIMARY KEY,
    contract_id      text NOT NULL REFERENCES contracts (id),
    position         int NOT NULL,
    title            text NOT NULL,
    amount           text NOT NULL,
    status           text NOT NULL CHECK (status IN ('scheduled', 'delivered', 'paid')),
    due_date         timestamptz,
    delivered_at     timestamptz,
    paid_at          timestamptz,
    payment_batch_id text NOT NULL DEFAULT '',
    UNIQUE (contract_id, position)
);

-- OCDS releases, one per lifecycle change, appended in the change's transaction (internal/ocds compiles them).
CREATE TABLE ocds_release (
    id      text PRIMARY KEY,
    ocid    text NOT NULL,
    date    timestamptz NOT NULL,
    tags    text[] NOT NULL,
    release jsonb NOT NULL
);
CREATE INDEX ocds_release_by_ocid ON ocds_release (ocid, date);

-- Append-only: audit rows and releases are never changed or removed.
-- +goose StatementBegin
CREATE FUNCTION procurement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION procurement_append_only();
CREATE TRIGGER ocds_release_append_only BEFORE UPDATE OR DELETE ON ocds_release
    FOR EACH ROW EXECUTE FUNCTION procurement_append_only();

-- +goose Down
DROP TABLE ocds_release, milestones, contracts, complaints, awards, audit, scores, declarations, bids, questions, tenders;
DROP FUNCTION procurement_append_only;
