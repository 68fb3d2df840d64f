-- +goose Up
-- Accounts, sign-in and tokens (filled in by the accounts work).
SELECT 1;

-- +goose Down
SELECT 1;
