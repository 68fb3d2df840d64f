-- +goose Up
-- 'applied': the request's work committed (marked inside the BB's own transaction), its answer not yet kept.
-- A retry then waits for the answer instead of doing the work again, and learns that the work was done when
-- the answer cannot be had.
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_state_check;
ALTER TABLE idempotency_key ADD CONSTRAINT idempotency_key_state_check CHECK (state IN ('running', 'applied', 'done'));

-- +goose Down
UPDATE idempotency_key SET state = 'running' WHERE state = 'applied';
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_state_check;
ALTER TABLE idempotency_key ADD CONSTRAINT idempotency_key_state_check CHECK (state IN ('running', 'done'));
