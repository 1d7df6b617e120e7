-- Gust metadata schema, version 1.
--
-- Every process (scheduler, webserver, worker) meets the others only through these tables,
-- so the constraints here are the last line of defence against two processes racing:
-- uniqueness of runs per logical date, the closed sets of states, and cascading deletes that
-- never leave orphans behind.
--
-- Task instance state "none" (Airflow's State.NONE) is stored as the text 'none', never as
-- NULL: the column is NOT NULL, so a conditional transition is always the same
-- "UPDATE ... WHERE state = :expected" and never needs IS NOT DISTINCT FROM. The REST API
-- maps 'none' to JSON null where Airflow's clients expect it.

CREATE TABLE dag (
    dag_id                 text        PRIMARY KEY,
    is_paused              boolean     NOT NULL DEFAULT true,
    is_active              boolean     NOT NULL DEFAULT true,
    fileloc                text        NOT NULL,
    owners                 text,
    description            text,
    tags                   text[]      NOT NULL DEFAULT '{}',
    schedule_expression    text,
    timetable_description  text,
    max_active_runs        integer     NOT NULL DEFAULT 16 CHECK (max_active_runs > 0),
    max_active_tasks       integer     NOT NULL DEFAULT 16 CHECK (max_active_tasks > 0),
    serialized_dag         jsonb       NOT NULL,
    version_hash           text        NOT NULL,
    last_parsed_at         timestamptz NOT NULL DEFAULT now(),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dag_fileloc_idx ON dag (fileloc);

CREATE TABLE dag_run (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dag_id               text        NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
    run_id               text        NOT NULL,
    logical_date         timestamptz NOT NULL,
    data_interval_start  timestamptz,
    data_interval_end    timestamptz,
    state                text        NOT NULL DEFAULT 'queued'
                                     CHECK (state IN ('queued', 'running', 'success', 'failed')),
    run_type             text        NOT NULL
                                     CHECK (run_type IN ('scheduled', 'manual', 'backfill', 'dataset_triggered')),
    conf                 jsonb       NOT NULL DEFAULT '{}',
    external_trigger     boolean     NOT NULL DEFAULT false,
    queued_at            timestamptz,
    start_date           timestamptz,
    end_date             timestamptz,
    dag_version_hash     text,
    creating_job_id      bigint,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dag_run_dag_id_run_id_key UNIQUE (dag_id, run_id),
    CONSTRAINT dag_run_dag_id_logical_date_key UNIQUE (dag_id, logical_date)
);

CREATE INDEX dag_run_state_idx ON dag_run (state, dag_id);

CREATE TABLE task_instance (
    dag_id                text        NOT NULL,
    run_id                text        NOT NULL,
    task_id               text        NOT NULL,
    map_index             integer     NOT NULL DEFAULT -1,
    state                 text        NOT NULL DEFAULT 'none'
                                      CHECK (state IN ('none', 'scheduled', 'queued', 'running', 'success',
                                                       'failed', 'up_for_retry', 'up_for_reschedule',
                                                       'upstream_failed', 'skipped', 'removed')),
    try_number            integer     NOT NULL DEFAULT 0 CHECK (try_number >= 0),
    max_tries             integer     NOT NULL DEFAULT 0 CHECK (max_tries >= 0),
    hostname              text,
    pid                   integer,
    last_heartbeat_at     timestamptz,
    queued_by_job_id      bigint,
    external_executor_id  text,
    executor              text,
    pool                  text        NOT NULL DEFAULT 'default_pool',
    pool_slots            integer     NOT NULL DEFAULT 1 CHECK (pool_slots > 0),
    priority_weight       integer     NOT NULL DEFAULT 1,
    operator              text,
    queued_at             timestamptz,
    start_date            timestamptz,
    end_date              timestamptz,
    duration              double precision,
    next_retry_at         timestamptz,
    rendered_fields       jsonb,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dag_id, run_id, task_id, map_index),
    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
);

-- The scheduling loop and the executors look task instances up by state across all runs;
-- the partial indexes keep the hot, small sets (waiting and in flight) cheap to scan while
-- the large tail of finished instances stays out of them.
CREATE INDEX task_instance_state_idx ON task_instance (state, dag_id, run_id);
CREATE INDEX task_instance_queued_idx ON task_instance (priority_weight DESC, queued_at)
    WHERE state = 'queued';
CREATE INDEX task_instance_running_heartbeat_idx ON task_instance (last_heartbeat_at)
    WHERE state = 'running';
CREATE INDEX task_instance_retry_idx ON task_instance (next_retry_at)
    WHERE state IN ('up_for_retry', 'up_for_reschedule');
CREATE INDEX task_instance_pool_idx ON task_instance (pool)
    WHERE state IN ('queued', 'running');

CREATE TABLE task_log_chunk (
    dag_id       text        NOT NULL,
    run_id       text        NOT NULL,
    task_id      text        NOT NULL,
    map_index    integer     NOT NULL DEFAULT -1,
    try_number   integer     NOT NULL,
    chunk_no     integer     NOT NULL,
    content      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dag_id, run_id, task_id, map_index, try_number, chunk_no),
    FOREIGN KEY (dag_id, run_id, task_id, map_index)
        REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);

CREATE TABLE xcom (
    dag_id       text        NOT NULL,
    run_id       text        NOT NULL,
    task_id      text        NOT NULL,
    map_index    integer     NOT NULL DEFAULT -1,
    key          text        NOT NULL,
    value        jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dag_id, run_id, task_id, map_index, key),
    FOREIGN KEY (dag_id, run_id, task_id, map_index)
        REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);

CREATE TABLE variable (
    key          text        PRIMARY KEY,
    val          text        NOT NULL,
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- password and extra hold AES-GCM ciphertext (see SecretCipher), never plaintext.
CREATE TABLE connection (
    conn_id             text        PRIMARY KEY,
    conn_type           text        NOT NULL,
    description         text,
    host                text,
    schema              text,
    login               text,
    password_encrypted  bytea,
    port                integer     CHECK (port BETWEEN 0 AND 65535),
    extra_encrypted     bytea,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- slots = -1 means unlimited, as in Airflow.
CREATE TABLE slot_pool (
    pool         text        PRIMARY KEY,
    slots        integer     NOT NULL CHECK (slots >= -1),
    description  text
);

INSERT INTO slot_pool (pool, slots, description) VALUES ('default_pool', 128, 'Default pool');

CREATE TABLE import_error (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filename    text        NOT NULL,
    line        integer,
    message     text        NOT NULL,
    timestamp   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX import_error_filename_idx ON import_error (filename);

CREATE TABLE job (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_type          text        NOT NULL,
    state             text        NOT NULL CHECK (state IN ('running', 'success', 'failed')),
    hostname          text,
    pid               integer,
    start_date        timestamptz NOT NULL DEFAULT now(),
    end_date          timestamptz,
    latest_heartbeat  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX job_type_heartbeat_idx ON job (job_type, latest_heartbeat DESC);

-- The audit log: who did what, append only. No foreign keys on purpose, so that the trail
-- survives the deletion of the DAGs and runs it mentions.
CREATE TABLE log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dttm      timestamptz NOT NULL DEFAULT now(),
    dag_id    text,
    task_id   text,
    run_id    text,
    event     text        NOT NULL,
    owner     text,
    extra     text
);

CREATE INDEX log_dttm_idx ON log (dttm DESC);
CREATE INDEX log_dag_id_idx ON log (dag_id, dttm DESC);

CREATE TABLE app_user (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       text        NOT NULL UNIQUE,
    email          text,
    password_hash  text        NOT NULL,
    role           text        NOT NULL DEFAULT 'viewer',
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_login     timestamptz
);

-- Only a hash of each token is kept; the token itself is shown once when it is made.
CREATE TABLE api_token (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    token_hash    text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    last_used_at  timestamptz
);
