-- +goose Up

-- Deployed process versions. Every deploy of a BPMN file adds a row per executable process in it; rows are
-- never changed but for enabled and deleted (instances keep the version they started on).
CREATE TABLE process_definition (
    id           text PRIMARY KEY,           -- <key>:<version>:<uuid>
    key          text NOT NULL,              -- the BPMN process id
    version      integer NOT NULL CHECK (version > 0),
    name         text NOT NULL DEFAULT '',
    type         text NOT NULL DEFAULT 'None',
    is_closed    boolean NOT NULL DEFAULT false,
    description  text NOT NULL DEFAULT '',
    version_tag  text NOT NULL DEFAULT '',
    category     text NOT NULL DEFAULT '',
    bpmn_xml     text NOT NULL,
    start_events text[] NOT NULL DEFAULT '{}',
    enabled      boolean NOT NULL DEFAULT true,
    deleted      boolean NOT NULL DEFAULT false,
    deployed_at  timestamptz NOT NULL DEFAULT now(),
    deployed_by  text NOT NULL DEFAULT '',
    UNIQUE (key, version)
);

-- The message start events of the processes' latest enabled versions: a published message starts these.
CREATE TABLE message_start (
    message_name  text NOT NULL,
    definition_id text NOT NULL REFERENCES process_definition (id),
    element_id    text NOT NULL,
    PRIMARY KEY (message_name, definition_id, element_id)
);

-- Process instances. doc is the engine's whole state of the instance (engine.State); rev counts its changes:
-- every step locks the row, checks rev and writes it back one higher.
CREATE TABLE instance (
    id              uuid PRIMARY KEY,
    definition_id   text NOT NULL REFERENCES process_definition (id),
    process_key     text NOT NULL,
    version         integer NOT NULL,
    state           text NOT NULL CHECK (state IN ('running', 'completed', 'stopped', 'failed')),
    suspended       boolean NOT NULL DEFAULT false,
    business_key    text,
    idempotency_key text,
    parent_id       uuid,
    started_by      text NOT NULL DEFAULT '',
    doc             jsonb NOT NULL,
    rev             bigint NOT NULL DEFAULT 1,
    open_incidents  integer NOT NULL DEFAULT 0,
    error_code      text NOT NULL DEFAULT '',
    started_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz
);
-- A start repeated with its idempotency key, or with the business key of an active instance, finds the
-- instance already started instead of making a second one, whichever replica it reaches.
CREATE UNIQUE INDEX instance_idempotency ON instance (process_key, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX instance_active_business_key ON instance (process_key, business_key)
    WHERE business_key IS NOT NULL AND ended_at IS NULL;
CREATE INDEX instance_by_process ON instance (process_key, started_at DESC);
CREATE INDEX instance_by_start ON instance (started_at DESC);
CREATE INDEX instance_by_parent ON instance (parent_id) WHERE parent_id IS NOT NULL;

-- Jobs for workers and connectors. due_at is when the job may next be activated: when created, after a
-- retry backoff, or when its lease expires (activation sets it to the lease's end), so one index finds
-- every activatable job. worker and epoch fence the lease: only the holder of the latest epoch, before
-- lease_until, may complete, fail or extend it.
CREATE TABLE job (
    id            uuid PRIMARY KEY,
    instance_id   uuid NOT NULL REFERENCES instance (id),
    process_key   text NOT NULL,
    element_id    text NOT NULL,
    ei            text NOT NULL,
    type          text NOT NULL,
    retries       integer NOT NULL,
    headers       jsonb NOT NULL DEFAULT '{}',
    due_at        timestamptz NOT NULL DEFAULT now(),
    worker        text,
    epoch         integer NOT NULL DEFAULT 0,
    lease_until   timestamptz,
    error_message text NOT NULL DEFAULT '',
    suspended     boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_activatable ON job (type, due_at) WHERE retries > 0 AND NOT suspended;
CREATE INDEX job_by_instance ON job (instance_id);

-- Timers: an instance's (boundary, catch, event-based gateway) or a process version's start timer
-- (instance_id NULL). fire_at is when the timer may next be claimed: its due time, or its lease's end.
CREATE TABLE timer (
    id            uuid PRIMARY KEY,
    instance_id   uuid REFERENCES instance (id),
    definition_id text REFERENCES process_definition (id),
    element_id    text NOT NULL,
    ei            text NOT NULL DEFAULT '',
    due_at        timestamptz NOT NULL,
    fire_at       timestamptz NOT NULL,
    repetition    integer NOT NULL DEFAULT 0,
    owner         text,
    epoch         integer NOT NULL DEFAULT 0,
    lease_until   timestamptz,
    suspended     boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((instance_id IS NULL) <> (definition_id IS NULL))
);
CREATE INDEX timer_claimable ON timer (fire_at) WHERE NOT suspended;
CREATE INDEX timer_by_instance ON timer (instance_id);

-- What one instance causes in another (a child's end, a parent's cancel, a flow trigger's start), handled
-- by the next step of the other instance: no transaction ever locks two instances.
CREATE TABLE signal (
    id          uuid PRIMARY KEY,
    instance_id uuid,
    kind        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}',
    fire_at     timestamptz NOT NULL DEFAULT now(),
    owner       text,
    epoch       integer NOT NULL DEFAULT 0,
    lease_until timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signal_claimable ON signal (fire_at);

-- Message subscriptions of waiting instances.
CREATE TABLE subscription (
    id              uuid PRIMARY KEY,
    instance_id     uuid NOT NULL REFERENCES instance (id),
    element_id      text NOT NULL,
    message_name    text NOT NULL,
    correlation_key text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscription_match ON subscription (message_name, correlation_key);
CREATE INDEX subscription_by_instance ON subscription (instance_id);

-- Published messages, kept until expires_at for instances that subscribe later; message_id makes a
-- publish idempotent. A message reaches an instance at most once (message_correlation).
CREATE TABLE message (
    id              uuid PRIMARY KEY,
    name            text NOT NULL,
    correlation_key text NOT NULL,
    message_id      text,
    variables       jsonb NOT NULL DEFAULT '{}',
    published_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX message_by_message_id ON message (name, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX message_buffered ON message (name, correlation_key, expires_at);
CREATE TABLE message_correlation (
    message      uuid NOT NULL REFERENCES message (id),
    instance_id  uuid NOT NULL,
    correlated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message, instance_id)
);

-- User tasks, kept after they end for the task list's history.
CREATE TABLE user_task (
    id               uuid PRIMARY KEY,
    instance_id      uuid NOT NULL REFERENCES instance (id),
    process_key      text NOT NULL,
    element_id       text NOT NULL,
    name             text NOT NULL DEFAULT '',
    state            text NOT NULL DEFAULT 'created' CHECK (state IN ('created', 'completed', 'cancelled')),
    assignee         text NOT NULL DEFAULT '',
    candidate_groups text[] NOT NULL DEFAULT '{}',
    candidate_users  text[] NOT NULL DEFAULT '{}',
    form_key         text NOT NULL DEFAULT '',
    form             jsonb,
    due_at           timestamptz,
    follow_up_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    completed_by     text NOT NULL DEFAULT ''
);
CREATE INDEX user_task_open ON user_task (created_at) WHERE state = 'created';
CREATE INDEX user_task_by_instance ON user_task (instance_id);

CREATE TABLE incident (
    id          uuid PRIMARY KEY,
    instance_id uuid NOT NULL REFERENCES instance (id),
    process_key text NOT NULL,
    element_id  text NOT NULL,
    ei          text NOT NULL DEFAULT '',
    kind        text NOT NULL,
    message     text NOT NULL DEFAULT '',
    job_id      uuid,
    state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX incident_open ON incident (created_at) WHERE state = 'open';
CREATE INDEX incident_by_instance ON incident (instance_id);

-- Camunda forms deployed on their own (user tasks name them with formId).
CREATE TABLE form (
    id         text NOT NULL,
    version    integer NOT NULL,
    schema     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
);

-- Flow triggers: start target_key when an instance of source_key ends as on_state says.
CREATE TABLE flow_trigger (
    id         uuid PRIMARY KEY,
    source_key text NOT NULL,
    on_state   text NOT NULL CHECK (on_state IN ('completed', 'failed')),
    target_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flow_trigger_by_source ON flow_trigger (source_key, on_state);

-- The audit trail (GovStack: every create, update and delete with time, user and affiliation). Append-only:
-- the database refuses to change or remove a line.
CREATE TABLE history (
    seq           bigserial PRIMARY KEY,
    instance_id   uuid,
    definition_id text,
    at            timestamptz NOT NULL DEFAULT now(),
    kind          text NOT NULL,
    element_id    text NOT NULL DEFAULT '',
    actor         text NOT NULL DEFAULT '',
    client        text NOT NULL DEFAULT '',
    detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX history_by_instance ON history (instance_id, seq);

-- +goose StatementBegin
CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'workflow history is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();

-- +goose Down
DROP TABLE history, flow_trigger, form, incident, user_task, message_correlation, message, subscription, signal,
    timer, job, instance, message_start, process_definition;
DROP FUNCTION history_append_only();
