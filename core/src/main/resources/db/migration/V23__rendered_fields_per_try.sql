-- Airflow's rendered_task_instance_fields, kept per try: the arguments a try's templates rendered
-- to, written by the runner once it has rendered them, before the operator starts, and masked with
-- the try's secret masker (the secrets its templates read and the values under sensitive names).
-- A try that is cleared and run again writes its own row, so the task page shows each try's. The
-- column task_instance.rendered_fields that stood for it was never written and goes.
CREATE TABLE task_instance_rendered (
    dag_id           text        NOT NULL,
    run_id           text        NOT NULL,
    task_id          text        NOT NULL,
    map_index        integer     NOT NULL,
    try_number       integer     NOT NULL,
    rendered_fields  json        NOT NULL,   -- json, not jsonb: the arguments keep their order
    rendered_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dag_id, run_id, task_id, map_index, try_number),
    FOREIGN KEY (dag_id, run_id, task_id, map_index)
        REFERENCES task_instance (dag_id, run_id, task_id, map_index) ON DELETE CASCADE
);

ALTER TABLE task_instance DROP COLUMN rendered_fields;

-- The DAG list counts each listed DAG's runs by state: an index-only scan with this index.
CREATE INDEX dag_run_dag_state_idx ON dag_run (dag_id, state);

-- The DAG list's "Last run" (date and state), its sort by it and its "Failed last run" tab, at
-- 10,000 DAGs, read from the dag row instead of one probe of dag_run per DAG (100 ms there). Kept
-- by triggers, as task_instance_try is, so that no writer of dag_run can forget it: a run created
-- or changing state at or after the recorded one is the DAG's last run; deleting the last run
-- (gust db clean keeps it; deleting a run by hand may not) looks the newest remaining one up.
-- Each is one short update of one dag row in the run's own transaction.
ALTER TABLE dag ADD COLUMN last_run_logical_date timestamptz;
ALTER TABLE dag ADD COLUMN last_run_state text;

UPDATE dag d SET last_run_logical_date = last.logical_date, last_run_state = last.state
  FROM (SELECT DISTINCT ON (dag_id) dag_id, logical_date, state FROM dag_run
         ORDER BY dag_id, logical_date DESC) last
 WHERE last.dag_id = d.dag_id;

CREATE FUNCTION record_dag_last_run() RETURNS trigger AS $$
BEGIN
    UPDATE dag SET last_run_logical_date = NEW.logical_date, last_run_state = NEW.state
     WHERE dag_id = NEW.dag_id
       AND (last_run_logical_date IS NULL OR last_run_logical_date <= NEW.logical_date)
       AND (last_run_logical_date IS DISTINCT FROM NEW.logical_date OR last_run_state IS DISTINCT FROM NEW.state);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION forget_dag_last_run() RETURNS trigger AS $$
BEGIN
    UPDATE dag d SET last_run_logical_date = last.logical_date, last_run_state = last.state
      FROM (SELECT OLD.dag_id AS dag_id) gone
      LEFT JOIN LATERAL (SELECT r.logical_date, r.state FROM dag_run r WHERE r.dag_id = gone.dag_id
                          ORDER BY r.logical_date DESC LIMIT 1) last ON true
     WHERE d.dag_id = gone.dag_id AND d.last_run_logical_date = OLD.logical_date;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dag_last_run_created
    AFTER INSERT ON dag_run
    FOR EACH ROW EXECUTE FUNCTION record_dag_last_run();

CREATE TRIGGER dag_last_run_changed
    AFTER UPDATE OF state ON dag_run
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION record_dag_last_run();

CREATE TRIGGER dag_last_run_deleted
    AFTER DELETE ON dag_run
    FOR EACH ROW EXECUTE FUNCTION forget_dag_last_run();
