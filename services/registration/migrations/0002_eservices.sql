-- +goose Up
-- GovStack e-services: services, e-forms (JSON Schema), application files, operator tasks, documents and the
-- audit trail of every operator decision. The account flows are services too (seeded below with fixed ids,
-- the constants in internal/domain/services.go).

CREATE TABLE services (
    id            uuid PRIMARY KEY,
    key           text NOT NULL UNIQUE,            -- stable name the code refers to, e.g. buyer-account
    name          text NOT NULL,
    version       text NOT NULL DEFAULT '1',
    type          text NOT NULL DEFAULT 'Public' CHECK (type IN ('None', 'Private', 'Public')),
    is_executable boolean NOT NULL DEFAULT true,
    is_closed     boolean NOT NULL DEFAULT false,
    description   text NOT NULL DEFAULT '',
    service_body  jsonb NOT NULL DEFAULT '[]'      -- [{"code": "...", "value": "..."}]
);

CREATE TABLE eforms (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES services (id),
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    version     text NOT NULL,
    latest      boolean NOT NULL DEFAULT false,
    schema      jsonb NOT NULL,                    -- JSON Schema draft 2020-12 of formData.data
    UNIQUE (service_id, version)
);
-- At most one latest e-form per service.
CREATE UNIQUE INDEX eforms_one_latest ON eforms (service_id) WHERE latest;

CREATE TABLE applications (
    file_id          uuid PRIMARY KEY,
    service_id       uuid NOT NULL REFERENCES services (id),
    applicant_id     text NOT NULL,
    application_name text NOT NULL DEFAULT '',
    form_data        jsonb NOT NULL DEFAULT '{}',
    eform_id         uuid REFERENCES eforms (id),
    document_urls    text[] NOT NULL DEFAULT '{}',
    status           text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'SENDBACK', 'REJECTED')),
    ended            boolean NOT NULL DEFAULT false,
    created          timestamptz NOT NULL,
    registered       timestamptz NOT NULL,
    updated          timestamptz NOT NULL
);
CREATE INDEX applications_applicant_idx ON applications (applicant_id, created DESC);
CREATE INDEX applications_service_idx ON applications (service_id, created DESC);

CREATE TABLE tasks (
    task_id           uuid PRIMARY KEY,
    main_task_id      uuid,                        -- the task this one belongs to; NULL for a main task
    file_id           uuid NOT NULL REFERENCES applications (file_id),
    name              text NOT NULL,
    description       text NOT NULL DEFAULT '',
    role_id           text NOT NULL,               -- admin, staff, ...
    assignee_id       text NOT NULL DEFAULT '',
    status            text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED')),
    created           timestamptz NOT NULL,
    completed         timestamptz,
    completed_by      text NOT NULL DEFAULT '',    -- the deciding account id
    completed_by_name text NOT NULL DEFAULT '',    -- its name at the time, for statistics by operator name
    decision          text NOT NULL DEFAULT '' CHECK (decision IN ('', 'APPROVED', 'SENDBACK', 'REJECTED')),
    comment           text NOT NULL DEFAULT '',
    data              jsonb NOT NULL DEFAULT '{}',
    CHECK ((status = 'COMPLETED') = (completed IS NOT NULL))
);
CREATE INDEX tasks_file_idx ON tasks (file_id, created DESC);
CREATE INDEX tasks_completed_idx ON tasks (completed) WHERE status = 'COMPLETED';

CREATE TABLE documents (
    id           uuid PRIMARY KEY,
    name         text NOT NULL DEFAULT '',
    content_type text NOT NULL,                    -- detected from the content, not what the client declared
    size         bigint NOT NULL,
    sha256       text NOT NULL,
    content      bytea NOT NULL,
    metadata     text NOT NULL DEFAULT '',
    uploaded_by  text NOT NULL DEFAULT '',         -- the uploader's account id; '' for an IM client without a token
    created      timestamptz NOT NULL
);

-- Every operator and administrator decision. Append-only: the owner could revoke nothing from itself, so a
-- trigger refuses UPDATE and DELETE.
CREATE TABLE audit (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor_id text NOT NULL,
    action   text NOT NULL,
    subject  text NOT NULL DEFAULT '',
    detail   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_subject_idx ON audit (subject, at);

-- +goose StatementBegin
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- The account flows as GovStack services.
INSERT INTO services (id, key, name, version, type, is_executable, is_closed, description, service_body) VALUES
('5e7a0000-0000-4000-a000-000000000001', 'buyer-account', 'Public-sector buyer account', '1', 'Public', true, false,
 'Register as a public-sector buyer with your work e-mail; its domain must be an approved public-sector domain. An activation link is e-mailed.',
 '[{"code": "roles", "value": "buyer"}, {"code": "endpoint", "value": "POST /accounts/buyers"}]'),
('5e7a0000-0000-4000-a000-000000000002', 'supplier-account', 'Supplier account', '1', 'Public', true, false,
 'Register a supplier company (DUNS or Companies House number, checked against the companies registry) and its login e-mail.',
 '[{"code": "roles", "value": "supplier"}, {"code": "endpoint", "value": "POST /accounts/suppliers/drafts"}]'),
('5e7a0000-0000-4000-a000-000000000003', 'citizen-account', 'Citizen account', '1', 'Public', true, false,
 'Register as a citizen for online hospital reservations; your national id is checked against the population register.',
 '[{"code": "roles", "value": "citizen"}, {"code": "endpoint", "value": "POST /accounts/citizens"}]'),
('5e7a0000-0000-4000-a000-000000000004', 'staff-account', 'Hospital staff account', '1', 'Public', true, false,
 'Register a hospital staff member (doctor); the record goes to the hospital-staff registry.',
 '[{"code": "roles", "value": "staff"}, {"code": "endpoint", "value": "POST /accounts/staff/bulk"}]'),
('5e7a0000-0000-4000-a000-000000000005', 'domain-access', 'Public-sector domain access request', '1', 'Public', true, false,
 'Ask for your organisation''s e-mail domain to be approved as a public-sector domain; an administrator decides.',
 '[{"code": "roles", "value": "admin"}, {"code": "endpoint", "value": "POST /accounts/domain-requests"}]');

INSERT INTO eforms (id, service_id, name, description, version, latest, schema) VALUES
('5e7a0000-0000-4000-b000-000000000001', '5e7a0000-0000-4000-a000-000000000001', 'Buyer registration', 'Your work e-mail, name and organisation.', '1', true,
 '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Buyer registration", "type": "object",
   "required": ["email", "name"], "additionalProperties": false,
   "properties": {
     "email": {"type": "string", "format": "email", "maxLength": 254, "title": "Work e-mail"},
     "name": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Full name"},
     "organisation": {"type": "string", "maxLength": 200, "title": "Organisation"}}}'),
('5e7a0000-0000-4000-b000-000000000002', '5e7a0000-0000-4000-a000-000000000002', 'Supplier registration', 'The company, its contact and the login e-mail.', '1', true,
 '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Supplier registration", "type": "object",
   "required": ["companyId", "companyName", "contactName", "contactEmail", "contactPhone", "loginEmail"], "additionalProperties": false,
   "properties": {
     "companyId": {"type": "string", "minLength": 1, "maxLength": 20, "title": "DUNS or Companies House number"},
     "companyName": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Company name"},
     "contactName": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Contact name"},
     "contactEmail": {"type": "string", "format": "email", "maxLength": 254, "title": "Contact e-mail"},
     "contactPhone": {"type": "string", "minLength": 6, "maxLength": 30, "pattern": "^\\+?[0-9 ()-]+$", "title": "Contact phone"},
     "loginEmail": {"type": "string", "format": "email", "maxLength": 254, "title": "Login e-mail"}}}'),
('5e7a0000-0000-4000-b000-000000000003', '5e7a0000-0000-4000-a000-000000000003', 'Citizen registration', 'Your national id, name, birth date and contact details.', '1', true,
 '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Citizen registration", "type": "object",
   "required": ["nationalId", "firstName", "lastName", "birthDate", "email"], "additionalProperties": false,
   "properties": {
     "nationalId": {"type": "string", "minLength": 1, "maxLength": 30, "title": "National identification number"},
     "firstName": {"type": "string", "minLength": 1, "maxLength": 100, "title": "First name"},
     "lastName": {"type": "string", "minLength": 1, "maxLength": 100, "title": "Last name"},
     "birthDate": {"type": "string", "format": "date", "title": "Birth date (YYYY-MM-DD)"},
     "email": {"type": "string", "format": "email", "maxLength": 254, "title": "E-mail"},
     "phone": {"type": "string", "maxLength": 30, "pattern": "^\\+?[0-9 ()-]*$", "title": "Phone"},
     "address": {"type": "string", "maxLength": 300, "title": "Address"}}}'),
('5e7a0000-0000-4000-b000-000000000004', '5e7a0000-0000-4000-a000-000000000004', 'Hospital staff registration', 'The hospital and the staff member.', '1', true,
 '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Hospital staff registration", "type": "object",
   "required": ["hospitalId", "staffId", "name", "email", "specialty", "departmentId"], "additionalProperties": false,
   "properties": {
     "hospitalId": {"type": "string", "minLength": 1, "maxLength": 100, "title": "Hospital id (Digital Registries)"},
     "staffId": {"type": "string", "minLength": 1, "maxLength": 50, "title": "Staff number"},
     "name": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Full name"},
     "email": {"type": "string", "format": "email", "maxLength": 254, "title": "E-mail"},
     "specialty": {"type": "string", "minLength": 1, "maxLength": 100, "title": "Specialty"},
     "departmentId": {"type": "string", "minLength": 1, "maxLength": 100, "title": "Department id"}}}'),
('5e7a0000-0000-4000-b000-000000000005', '5e7a0000-0000-4000-a000-000000000005', 'Domain access request', 'Who you are and why your domain is public-sector.', '1', true,
 '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Domain access request", "type": "object",
   "required": ["email", "name", "organisation", "reason"], "additionalProperties": false,
   "properties": {
     "email": {"type": "string", "format": "email", "maxLength": 254, "title": "Work e-mail"},
     "name": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Full name"},
     "organisation": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Organisation"},
     "reason": {"type": "string", "minLength": 1, "maxLength": 2000, "title": "Why the domain is public-sector"}}}');

-- +goose Down
DROP TABLE audit;
DROP FUNCTION audit_append_only();
DROP TABLE documents;
DROP TABLE tasks;
DROP TABLE applications;
DROP TABLE eforms;
DROP TABLE services;
