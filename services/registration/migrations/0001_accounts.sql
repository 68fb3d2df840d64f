-- +goose Up
-- Accounts, sign-in and tokens. E-mail uniqueness, one supplier account per company, one account per
-- person and per hospital staff number are enforced here, not only in code.
CREATE TABLE accounts (
    id             uuid PRIMARY KEY,
    email          text NOT NULL,
    name           text NOT NULL DEFAULT '',
    organisation   text NOT NULL DEFAULT '',
    roles          text[] NOT NULL,
    status         text NOT NULL CHECK (status IN ('pending_activation', 'active')),
    password_hash  text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    activated_at   timestamptz,
    company_id     text,
    national_id    text,
    hospital_id    text,
    staff_id       text,
    registered_by  uuid,
    file_id        uuid
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_company_key ON accounts (company_id) WHERE company_id IS NOT NULL;
CREATE UNIQUE INDEX accounts_national_id_key ON accounts (national_id) WHERE national_id IS NOT NULL;
CREATE UNIQUE INDEX accounts_staff_key ON accounts (hospital_id, staff_id) WHERE staff_id IS NOT NULL;

-- Activation and reset links. Only the SHA-256 of the token is kept; using one is a single conditional
-- UPDATE, so two clicks cannot both use it.
CREATE TABLE account_tokens (
    token_hash  bytea PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('activate', 'reset')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX account_tokens_account_idx ON account_tokens (account_id);

-- Refresh tokens (hashed). A family is one sign-in and its rotations; reusing a rotated token revokes it.
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_account_idx ON refresh_tokens (account_id);

-- Failed sign-ins by the SHA-256 of the lower-cased e-mail, so unknown and known addresses behave alike.
CREATE TABLE sign_in_failures (
    email_hash    bytea PRIMARY KEY,
    failures      integer NOT NULL,
    locked_until  timestamptz,
    updated_at    timestamptz NOT NULL
);

-- Ed25519 signing keys for access tokens; the newest signs. The private seed is stored unencrypted
-- (a known limitation: a KMS is the next step).
CREATE TABLE signing_keys (
    kid         text PRIMARY KEY,
    seed        bytea NOT NULL,
    public_key  bytea NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX signing_keys_created_idx ON signing_keys (created_at DESC);

-- Supplier registrations in progress; the draft id is a secret, only its SHA-256 is kept.
CREATE TABLE supplier_drafts (
    id_hash          bytea PRIMARY KEY,
    company_id       text NOT NULL,
    company_scheme   text NOT NULL,
    registered_name  text NOT NULL,
    company_name     text NOT NULL DEFAULT '',
    contact_name     text NOT NULL DEFAULT '',
    contact_email    text NOT NULL DEFAULT '',
    contact_phone    text NOT NULL DEFAULT '',
    login_email      text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    submitted_at     timestamptz
);

-- +goose Down
DROP TABLE supplier_drafts;
DROP TABLE signing_keys;
DROP TABLE sign_in_failures;
DROP TABLE refresh_tokens;
DROP TABLE account_tokens;
DROP TABLE accounts;
