-- +goose Up
-- The personal-data right (issue 11): an endpoint named "personal-data" that "*" does not cover, granted by
-- name to a trusted back-office client so that it may see and act on any person's data at a service.
ALTER TABLE im_access_right DROP CONSTRAINT im_access_right_endpoint_check;
ALTER TABLE im_access_right ADD CONSTRAINT im_access_right_endpoint_check
    CHECK (endpoint = '*' OR endpoint = 'personal-data' OR endpoint ~ '^/[^/[:space:]]+/[^/[:space:]]+$'
           OR endpoint ~ '^[a-zA-Z]+:[^[:space:]]+$');

-- +goose Down
DELETE FROM im_access_right WHERE endpoint = 'personal-data';
ALTER TABLE im_access_right DROP CONSTRAINT im_access_right_endpoint_check;
ALTER TABLE im_access_right ADD CONSTRAINT im_access_right_endpoint_check
    CHECK (endpoint = '*' OR endpoint ~ '^/[^/[:space:]]+/[^/[:space:]]+$' OR endpoint ~ '^[a-zA-Z]+:[^[:space:]]+$');
