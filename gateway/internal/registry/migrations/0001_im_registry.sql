-- +goose Up
-- The Information Mediator's service registry: who the members are, which subsystems they run, which
-- services those subsystems provide, and who may call what (deny by default). Identifier segments never hold
-- "/" (the separator of INSTANCE/CLASS/MEMBER/SUBSYSTEM) and are never empty.

CREATE TABLE im_member (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance text NOT NULL CHECK (instance <> '' AND position('/' IN instance) = 0),
    class    text NOT NULL CHECK (class <> '' AND position('/' IN class) = 0),
    code     text NOT NULL CHECK (code <> '' AND position('/' IN code) = 0),
    name     text NOT NULL DEFAULT '',
    CONSTRAINT im_member_key UNIQUE (instance, class, code)
);

CREATE TABLE im_subsystem (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id bigint NOT NULL REFERENCES im_member (id) ON DELETE CASCADE,
    code      text   NOT NULL CHECK (code <> '' AND position('/' IN code) = 0),
    CONSTRAINT im_subsystem_key UNIQUE (member_id, code)
);

-- Groups of subsystems that rights can be granted to (X-Road's global groups). A group with everyone = true
-- has no member rows: it contains every authenticated client, registered or not.
CREATE TABLE im_group (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text    NOT NULL CHECK (code <> '' AND position('/' IN code) = 0),
    description text    NOT NULL DEFAULT '',
    everyone    boolean NOT NULL DEFAULT false,
    CONSTRAINT im_group_key UNIQUE (code)
);
INSERT INTO im_group (code, description, everyone) VALUES
    ('all', 'every authenticated client', true),
    -- The development-mode grants go to this group, so the gateway can take them back when it starts
    -- outside development mode without touching what an admin granted to "all".
    ('dev-mode', 'every authenticated client, while the gateway runs in development mode', true);

CREATE TABLE im_group_member (
    group_id     bigint NOT NULL REFERENCES im_group (id) ON DELETE CASCADE,
    subsystem_id bigint NOT NULL REFERENCES im_subsystem (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, subsystem_id)
);
CREATE INDEX im_group_member_subsystem ON im_group_member (subsystem_id);

CREATE TABLE im_role (
    subsystem_id bigint NOT NULL REFERENCES im_subsystem (id) ON DELETE CASCADE,
    role         text   NOT NULL CHECK (role IN ('admin')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subsystem_id, role)
);

CREATE TABLE im_service (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id bigint  NOT NULL REFERENCES im_subsystem (id) ON DELETE CASCADE,
    code        text    NOT NULL CHECK (code <> '' AND position('/' IN code) = 0),
    bb          text    NOT NULL DEFAULT '',
    grpc_addr   text    NOT NULL DEFAULT '',
    openapi     text,   -- the service's OpenAPI document (JSON or YAML) as served by getOpenAPI
    enabled     boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT im_service_key UNIQUE (provider_id, code)
);

-- The endpoints of a service: gRPC full method names, each with the REST binding(s) grpc-gateway serves.
CREATE TABLE im_service_method (
    service_id  bigint NOT NULL REFERENCES im_service (id) ON DELETE CASCADE,
    full_name   text   NOT NULL CHECK (full_name LIKE '/%/%'),
    http_method text   NOT NULL DEFAULT '',
    path        text   NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, full_name, http_method, path)
);

-- A grant: the subject (one subsystem or one group) may call endpoint of a service: "*" (every endpoint), a
-- gRPC full method name "/package.Service/Method", or an action on a named thing "action:name" (the
-- pub/sub rooms' "subscribe:<eventType>"). Revoking deletes the row, so the next Check no longer finds it.
CREATE TABLE im_access_right (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id   bigint NOT NULL REFERENCES im_service (id) ON DELETE CASCADE,
    subsystem_id bigint REFERENCES im_subsystem (id) ON DELETE CASCADE,
    group_id     bigint REFERENCES im_group (id) ON DELETE CASCADE,
    endpoint     text   NOT NULL CHECK (endpoint = '*' OR endpoint ~ '^/[^/[:space:]]+/[^/[:space:]]+$'
                                        OR endpoint ~ '^[a-zA-Z]+:[^[:space:]]+$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT im_access_right_one_subject CHECK (num_nonnulls(subsystem_id, group_id) = 1)
);
CREATE UNIQUE INDEX im_access_right_subsystem_key ON im_access_right (service_id, subsystem_id, endpoint)
    WHERE subsystem_id IS NOT NULL;
CREATE UNIQUE INDEX im_access_right_group_key ON im_access_right (service_id, group_id, endpoint)
    WHERE group_id IS NOT NULL;
CREATE INDEX im_access_right_subsystem ON im_access_right (subsystem_id);
CREATE INDEX im_access_right_group ON im_access_right (group_id);

-- API keys: only the SHA-256 of the key is kept. The key is 32 random bytes, so a fast hash is enough: there
-- is nothing to brute-force that a slow password hash would protect.
CREATE TABLE im_api_key (
    id           uuid   PRIMARY KEY,
    subsystem_id bigint NOT NULL REFERENCES im_subsystem (id) ON DELETE CASCADE,
    key_hash     bytea  NOT NULL CHECK (length(key_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CONSTRAINT im_api_key_hash_key UNIQUE (key_hash)
);
CREATE INDEX im_api_key_subsystem ON im_api_key (subsystem_id);

-- Client certificates, by the hex SHA-256 of their DER encoding.
CREATE TABLE im_client_certificate (
    fingerprint  text   PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    subsystem_id bigint NOT NULL REFERENCES im_subsystem (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX im_client_certificate_subsystem ON im_client_certificate (subsystem_id);

-- +goose Down
DROP TABLE im_client_certificate;
DROP TABLE im_api_key;
DROP TABLE im_access_right;
DROP TABLE im_service_method;
DROP TABLE im_service;
DROP TABLE im_role;
DROP TABLE im_group_member;
DROP TABLE im_group;
DROP TABLE im_subsystem;
DROP TABLE im_member;
