-- Callback requests (Airflow's callback_request): one row per callback of an event, inserted in
-- the same transaction as the state change it reports (a task's success, failure, retry, skip or
-- start; a run's success or failure), so that an event committed is an event whose callbacks will
-- run. Any live scheduler claims pending rows with FOR UPDATE SKIP LOCKED and heartbeats the rows
-- it runs; a running row whose heartbeat is older than the lease was claimed by a scheduler that
-- died and is claimed again. The row is marked success or failed after the callback returned.
CREATE TABLE callback_request (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dag_id        text        NOT NULL,
    run_id        text        NOT NULL,
    task_id       text,                      -- null for a DAG's callback
    map_index     integer     NOT NULL DEFAULT -1,
    try_number    integer,
    event         text        NOT NULL,      -- on_failure_callback, on_success_callback ...
    spec          jsonb       NOT NULL,      -- the callback as the DAG declared it when the event happened
    context       jsonb       NOT NULL DEFAULT '{}',  -- exception, reason, state
    state         text        NOT NULL DEFAULT 'pending',  -- pending, running, success, failed
    claimed_by    text,
    heartbeat_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    error         text,
    output        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
);

CREATE INDEX callback_request_unfinished_idx ON callback_request (id) WHERE state IN ('pending', 'running');
CREATE INDEX callback_request_run_idx ON callback_request (dag_id, run_id);
