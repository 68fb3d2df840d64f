-- +goose Up
-- The access rights the gateway gave at start-up (BB-to-BB rights the stack needs, gateway/grants.go). Each
-- is recorded when first given, so it is given once: an operator who revokes it keeps it revoked.
CREATE TABLE im_bootstrap_grant (
    subject    text        NOT NULL,
    service    text        NOT NULL,
    endpoint   text        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, service, endpoint)
);

-- +goose Down
DROP TABLE im_bootstrap_grant;
