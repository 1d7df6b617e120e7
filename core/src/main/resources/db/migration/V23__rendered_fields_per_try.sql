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
