-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE owners (
    id   int PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE things (
    id       int PRIMARY KEY,
    email    text NOT NULL CONSTRAINT things_email_key UNIQUE,
    owner_id int CONSTRAINT things_owner_fkey REFERENCES owners (id),
    qty      int NOT NULL DEFAULT 0 CONSTRAINT things_qty_positive CHECK (qty >= 0)
);

CREATE TABLE bookings (
    resource int NOT NULL,
    during   tstzrange NOT NULL,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (resource WITH =, during WITH &&)
);

-- +goose Down
DROP TABLE bookings;
DROP TABLE things;
DROP TABLE owners;
