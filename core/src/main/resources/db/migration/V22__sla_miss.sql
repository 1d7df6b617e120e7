-- SLA misses (Airflow's sla_miss): a task of a scheduled run that had not succeeded by the run's
-- data interval end plus the task's sla (kind 'sla'), or a run not finished by one of its DAG's
-- Airflow 3 deadlines (kind 'deadline', task_id '' and alert the deadline's place in the DAG's
-- list). The primary key makes each miss a row once, whichever scheduler sees it first: the
-- checker inserts with ON CONFLICT DO NOTHING and requests the callbacks of the rows it inserted,
-- in the same transaction. notification_sent: a callback was requested for it.
CREATE TABLE sla_miss (
    dag_id            text        NOT NULL,
    run_id            text        NOT NULL,
    task_id           text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('sla', 'deadline')),
    alert             integer     NOT NULL DEFAULT 0,
    execution_date    timestamptz NOT NULL,       -- the run's logical date, as Airflow's column
    expected_by       timestamptz NOT NULL,       -- when it should have been done
    timestamp         timestamptz NOT NULL DEFAULT now(),  -- when the miss was recorded
    notification_sent boolean     NOT NULL DEFAULT false,
    description       text,
    PRIMARY KEY (dag_id, run_id, kind, task_id, alert),
    FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
);

CREATE INDEX sla_miss_recent_idx ON sla_miss (timestamp DESC);
