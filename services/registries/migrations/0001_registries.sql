-- +goose Up
-- Trigram index support for the list API's case-insensitive regular-expression search (pg_trgm is a
-- trusted extension in Postgres 13+, so the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per registry version ("database" in GovStack's words).
CREATE TABLE registry (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL,
    version         text        NOT NULL,
    code            text        NOT NULL DEFAULT '',
    description     text        NOT NULL DEFAULT '',
    institution     text        NOT NULL DEFAULT '',
    group_name      text        NOT NULL DEFAULT '',
    catalog_name    text        NOT NULL DEFAULT '',
    schema          jsonb       NOT NULL,
    primary_key     text        NOT NULL DEFAULT 'id',
    person_id_field text        NOT NULL DEFAULT '',
    is_draft        boolean     NOT NULL DEFAULT false,
    is_disabled     boolean     NOT NULL DEFAULT false,
    is_archived     boolean     NOT NULL DEFAULT false,
    modified_at     timestamptz NOT NULL DEFAULT now(),
    modified_by     text        NOT NULL DEFAULT '',
    CONSTRAINT registry_name_version_key UNIQUE (name, version)
);

CREATE TABLE record (
    registry_id integer     NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    record_id   text        NOT NULL,
    content     jsonb       NOT NULL,
    person_id   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT record_pkey PRIMARY KEY (registry_id, record_id)
);
-- Exact-match queries (query.<field>=value, query.content) are containment tests: content @> '{"f": v}'.
CREATE INDEX record_content_idx ON record USING gin (content jsonb_path_ops);
-- Default list order: creation time within a registry.
CREATE INDEX record_created_idx ON record (registry_id, created_at, record_id);
-- search: content::text ~* pattern.
CREATE INDEX record_search_idx ON record USING gin ((content::text) gin_trgm_ops);

-- Who read whose personal data. No foreign key to registry: the log must outlive a deleted registry
-- version, so the registry's name and version are kept with each row.
CREATE TABLE personal_data_usage (
    id               uuid        PRIMARY KEY,
    registry_id      integer     NOT NULL,
    registry_name    text        NOT NULL,
    registry_version text        NOT NULL,
    person_id        text        NOT NULL,
    reader_id        text        NOT NULL,
    reader_member    text        NOT NULL,
    reader_subsystem text        NOT NULL,
    operation        text        NOT NULL,
    record_ids       text[]      NOT NULL,
    read_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personal_data_usage_person_idx ON personal_data_usage (person_id, registry_id, read_at);

-- +goose Down
DROP TABLE personal_data_usage;
DROP TABLE record;
DROP TABLE registry;
