-- +goose Up
-- GET /tenders searches words (q), filters by a CPV code prefix (cpv) and pages newest first keyset on
-- (created_at, id); GET /bids pages a supplier's own bids the same way (internal/store/search.go).

-- Words: full-text search with the 'simple' configuration (lower-cased words, no stemming, no stop words),
-- because titles are in English, Estonian or any language a partner uses and a stemmer of one language
-- mangles the others; each word of q is matched as a prefix ("switch" finds "switches"), which covers most
-- of what stemming would. Chosen over ILIKE '%word%' with a trigram index: that needs the pg_trgm
-- extension (not every managed Postgres lets a BB create it) and matches inside words ("art" in "start").
-- The vector is a stored generated column so the query and the GIN index cannot drift apart.
ALTER TABLE tenders ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || description)) STORED;
CREATE INDEX tenders_search ON tenders USING gin (search);

-- CPV: every prefix (2 characters and longer) of every item's code, so "a code starting with 3242" is an
-- array containment a GIN index answers (cpv_prefixes @> '{3242}'); a LIKE over the items' jsonb could use
-- no index. Drafts may hold any code until publication checks them: their prefixes are taken as written.
-- +goose StatementBegin
CREATE FUNCTION procurement_cpv_prefixes(items jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT left(i.code, n)), '{}')
    FROM (SELECT e->>'cpv' AS code FROM jsonb_array_elements(items) e) i,
         generate_series(2, least(length(i.code), 10)) n
    WHERE i.code IS NOT NULL
$$;
-- +goose StatementEnd
ALTER TABLE tenders ADD COLUMN cpv_prefixes text[]
    GENERATED ALWAYS AS (procurement_cpv_prefixes(items)) STORED;
CREATE INDEX tenders_cpv ON tenders USING gin (cpv_prefixes);

-- Newest first, keyset on (created_at, id), the index read backwards: ids compare bytewise (C) as the
-- store's keyset condition does. The old tenders_by_status index serves a status filter.
CREATE INDEX tenders_by_created ON tenders (created_at, id COLLATE "C");

-- A supplier's own bids, newest first, keyset on (submitted_at, id).
CREATE INDEX bids_by_company ON bids (company_id, submitted_at, id COLLATE "C");

-- +goose Down
DROP INDEX bids_by_company;
DROP INDEX tenders_by_created;
ALTER TABLE tenders DROP COLUMN cpv_prefixes;
DROP FUNCTION procurement_cpv_prefixes;
ALTER TABLE tenders DROP COLUMN search;
