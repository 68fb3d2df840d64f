-- +goose Up
-- Documents a hospital attaches to an appointment (a prescription, a referral): an extension, since no
-- GovStack BB keeps them. The limits the app checks are here too, so no other writer can pass them.
CREATE TABLE appointment_document (
    id             uuid        PRIMARY KEY,
    appointment_id uuid        NOT NULL REFERENCES appointment (id) ON DELETE CASCADE,
    kind           text        NOT NULL CHECK (kind IN ('prescription', 'referral', 'other')),
    file_name      text        NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 200),
    content_type   text        NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    content        bytea       NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 524288),
    uploaded_by    text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_document_appointment_idx ON appointment_document (appointment_id, created_at);

-- +goose Down
DROP TABLE appointment_document;
