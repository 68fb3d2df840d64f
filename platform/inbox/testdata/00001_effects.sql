-- +goose Up
CREATE TABLE effects (event_id text PRIMARY KEY, n int NOT NULL);

-- +goose Down
DROP TABLE effects;
