-- +goose Up
-- GET /tenders?buyerOrganisation=…: one organisation's tenders, newest first, keyset on (created_at, id)
-- as tenders_by_created (migration 0004) — a buyer's "your tenders" page reads it.
CREATE INDEX tenders_by_buyer ON tenders (buyer_org, created_at, id COLLATE "C");

-- +goose Down
DROP INDEX tenders_by_buyer;
