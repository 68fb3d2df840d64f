-- +goose Up
-- /ocds/releasePackages pages every release oldest first, keyset on (date, id); ids compare bytewise (C) as
-- the cursor does (internal/ocds.PageQuery).
CREATE INDEX ocds_release_by_date ON ocds_release (date, id COLLATE "C");

-- +goose Down
DROP INDEX ocds_release_by_date;
