-- What the REST API's task instance and DAG file operations need (Airflow 2.10's stable API).

-- Airflow's task instance notes (2.5+): a user's free-text note, set with PATCH .../setNote. Kept
-- when the task instance is cleared, as Airflow keeps it.
ALTER TABLE task_instance ADD COLUMN note text;

-- Airflow's task_instance_history (2.10+): one row per try of a task instance, as the try last
-- was. Written by a trigger rather than by each writer, so that no writer of task_instance (the
-- engine, the executors, the sweepers, marking and clearing) can forget it: every change of state,
-- try, end date or runner of a try that has started is copied here. Changes before a try starts
-- (none, scheduled, queued) and heartbeats are not, so the engine's hot updates stay as cheap.
CREATE TABLE task_instance_try (
    dag_id           text        NOT NULL,
    run_id           text        NOT NULL,
    task_id          text        NOT NULL,
    map_index        integer     NOT NULL,
    try_number       integer     NOT NULL,
    state            text        NOT NULL,
    max_tries        integer     NOT NULL,
    hostname         text,
    pid              integer,
    executor         text,
    pool             text        NOT NULL,
    pool_slots       integer     NOT NULL,
    priority_weight  integer     NOT NULL,
    operator         text,
    queued_at        timestamptz,
    start_date       timestamptz,
    end_date         timestamptz,
    duration         double precision,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dag_id, run_id, task_id, map_index, try_number),
    FOREIGN KEY (dag_id, run_id, task_id, map_index)
        REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);

CREATE FUNCTION record_task_instance_try() RETURNS trigger AS $$
BEGIN
    INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, max_tries,
                                   hostname, pid, executor, pool, pool_slots, priority_weight, operator,
                                   queued_at, start_date, end_date, duration, updated_at)
    VALUES (NEW.dag_id, NEW.run_id, NEW.task_id, NEW.map_index, NEW.try_number, NEW.state, NEW.max_tries,
            NEW.hostname, NEW.pid, NEW.executor, NEW.pool, NEW.pool_slots, NEW.priority_weight, NEW.operator,
            NEW.queued_at, NEW.start_date, NEW.end_date, NEW.duration, now())
    ON CONFLICT (dag_id, run_id, task_id, map_index, try_number) DO UPDATE
       SET state = EXCLUDED.state, max_tries = EXCLUDED.max_tries, hostname = EXCLUDED.hostname,
           pid = EXCLUDED.pid, executor = EXCLUDED.executor, pool = EXCLUDED.pool,
           pool_slots = EXCLUDED.pool_slots, priority_weight = EXCLUDED.priority_weight,
           operator = EXCLUDED.operator, queued_at = EXCLUDED.queued_at, start_date = EXCLUDED.start_date,
           end_date = EXCLUDED.end_date, duration = EXCLUDED.duration, updated_at = now();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER task_instance_try_recorded
    AFTER UPDATE ON task_instance
    FOR EACH ROW
    WHEN (NEW.try_number > 0
          AND NEW.state NOT IN ('none', 'scheduled', 'queued')
          AND (OLD.state IS DISTINCT FROM NEW.state
               OR OLD.try_number IS DISTINCT FROM NEW.try_number
               OR OLD.end_date IS DISTINCT FROM NEW.end_date
               OR OLD.hostname IS DISTINCT FROM NEW.hostname
               OR OLD.pid IS DISTINCT FROM NEW.pid))
    EXECUTE FUNCTION record_task_instance_try();

-- Airflow's PUT /parseDagFile/{file_token}: a web server asks the scheduler's DAG folder sync to
-- parse a file again at its next pass. The database is the only channel between the two.
CREATE TABLE dag_parse_request (
    fileloc       text        PRIMARY KEY,
    requested_at  timestamptz NOT NULL DEFAULT now()
);
