-- +goose Up
-- btree_gist lets one exclusion constraint combine equality on resource_id with overlap of time ranges
-- (trusted extension since Postgres 13, so the database owner may create it).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Hospitals and other hosting organisations. Working hours are read in time_zone (an IANA name).
CREATE TABLE entity (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    category   text NOT NULL DEFAULT '',
    city       text NOT NULL DEFAULT '',
    time_zone  text NOT NULL,
    email      text NOT NULL DEFAULT '',
    phone      text NOT NULL DEFAULT '',
    website    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Doctors, rooms: what gets booked.
CREATE TABLE resource (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    category     text NOT NULL DEFAULT '',
    specialty    text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    phone        text NOT NULL DEFAULT '',
    slot_minutes integer NOT NULL DEFAULT 20 CHECK (slot_minutes BETWEEN 5 AND 480),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE affiliation (
    id          text PRIMARY KEY,
    resource_id text NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    entity_id   text NOT NULL REFERENCES entity (id) ON DELETE CASCADE,
    category    text NOT NULL DEFAULT '',
    CONSTRAINT affiliation_resource_entity_key UNIQUE (resource_id, entity_id)
);
CREATE INDEX affiliation_entity_idx ON affiliation (entity_id);

-- Working hours per weekday (0 = Sunday) in the entity's local wall-clock time, minutes after midnight.
CREATE TABLE working_hours (
    affiliation_id text    NOT NULL REFERENCES affiliation (id) ON DELETE CASCADE,
    weekday        integer NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute   integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute     integer NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (start_minute < end_minute),
    PRIMARY KEY (affiliation_id, weekday, start_minute)
);

-- Leave and holidays: no slot of the resource overlaps these.
CREATE TABLE resource_exception (
    id          uuid PRIMARY KEY,
    resource_id text      NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    during      tstzrange NOT NULL CHECK (NOT isempty(during)),
    reason      text      NOT NULL DEFAULT ''
);
CREATE INDEX resource_exception_idx ON resource_exception USING gist (resource_id, during);

CREATE TABLE subscriber (
    id          text PRIMARY KEY,
    name        text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    phone       text NOT NULL DEFAULT '',
    category    text NOT NULL DEFAULT '',
    national_id text NOT NULL DEFAULT ''
);

-- Appointments. The exclusion constraint is the guarantee against double booking: two active appointments
-- of one resource never overlap, however many replicas race.
CREATE TABLE appointment (
    id            uuid PRIMARY KEY,
    resource_id   text      NOT NULL REFERENCES resource (id),
    entity_id     text      NOT NULL REFERENCES entity (id),
    subscriber_id text      NOT NULL REFERENCES subscriber (id),
    during        tstzrange NOT NULL CHECK (NOT isempty(during)),
    status        text      NOT NULL CHECK (status IN ('booked', 'checked_in', 'cancelled')),
    booking_code  text      NOT NULL,
    reason        text      NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT appointment_no_overlap EXCLUDE USING gist (resource_id WITH =, during WITH &&)
        WHERE (status <> 'cancelled')
);
CREATE INDEX appointment_subscriber_idx ON appointment (subscriber_id, lower(during));
CREATE INDEX appointment_start_idx ON appointment (lower(during));

-- Durable timers: appointment reminders, alert schedules, deadlines. A firing loop claims due rows with
-- FOR UPDATE SKIP LOCKED and, in the same transaction, sets fired_at and adds the event to the outbox.
CREATE TABLE timer (
    id             uuid PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('appointment_reminder', 'alert_schedule', 'deadline')),
    fire_at        timestamptz NOT NULL,
    fired_at       timestamptz,
    cancelled_at   timestamptz,
    appointment_id uuid REFERENCES appointment (id) ON DELETE CASCADE,
    subject        text        NOT NULL DEFAULT '',
    reference      text        NOT NULL DEFAULT '',
    message        text        NOT NULL DEFAULT '',
    recipients     jsonb       NOT NULL DEFAULT '[]',
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timer_due_idx ON timer (fire_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE UNIQUE INDEX timer_appointment_reminder_key ON timer (appointment_id)
    WHERE kind = 'appointment_reminder' AND fired_at IS NULL AND cancelled_at IS NULL;

-- +goose Down
DROP TABLE timer;
DROP TABLE appointment;
DROP TABLE subscriber;
DROP TABLE resource_exception;
DROP TABLE working_hours;
DROP TABLE affiliation;
DROP TABLE resource;
DROP TABLE entity;
