-- Airflow's datasets (data-aware scheduling). A dataset is a URI; a task's success records one
-- dataset_event per outlet and queues it for every DAG scheduled on that dataset
-- (dataset_dag_run_queue, one row per dataset and consumer, as Airflow's); a scheduler turns a
-- consumer's queue into one dataset_triggered run when the consumer's condition holds, deleting
-- the queue rows in the same transaction, and links the run to the events it consumed.
CREATE TABLE dataset (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uri         text        NOT NULL UNIQUE,
    extra       jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dataset_event (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id        bigint      NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    extra             jsonb       NOT NULL DEFAULT '{}',
    source_dag_id     text,
    source_run_id     text,
    source_task_id    text,
    source_map_index  integer     NOT NULL DEFAULT -1,
    timestamp         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dataset_event_dataset_timestamp_idx ON dataset_event (dataset_id, timestamp);
CREATE INDEX dataset_event_timestamp_idx ON dataset_event (timestamp);

-- Which DAG is scheduled on which dataset, and which task updates which: written from the
-- serialized DAG whenever the DAG folder sync stores a DAG.
CREATE TABLE dag_schedule_dataset_reference (
    dataset_id  bigint      NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    dag_id      text        NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, dag_id)
);

CREATE INDEX dag_schedule_dataset_reference_dag_idx ON dag_schedule_dataset_reference (dag_id);

CREATE TABLE task_outlet_dataset_reference (
    dataset_id  bigint      NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    dag_id      text        NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
    task_id     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, dag_id, task_id)
);

CREATE INDEX task_outlet_dataset_reference_dag_idx ON task_outlet_dataset_reference (dag_id);

CREATE TABLE dataset_dag_run_queue (
    dataset_id     bigint      NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    target_dag_id  text        NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, target_dag_id)
);

CREATE INDEX dataset_dag_run_queue_target_idx ON dataset_dag_run_queue (target_dag_id);

-- The events a dataset_triggered run consumed (Airflow's dagrun_dataset_event).
CREATE TABLE dagrun_dataset_event (
    dag_run_id  bigint NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    event_id    bigint NOT NULL REFERENCES dataset_event (id) ON DELETE CASCADE,
    PRIMARY KEY (dag_run_id, event_id)
);

CREATE INDEX dagrun_dataset_event_event_idx ON dagrun_dataset_event (event_id);
