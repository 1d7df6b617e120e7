-- Airflow's dag_warning: what the DAG folder sync found worth telling a DAG's author about a DAG
-- that loads (today: a bash command that puts a run's conf into the shell unquoted). One row per
-- DAG and warning type, replaced whenever the DAG is stored again, gone with the DAG.
CREATE TABLE dag_warning (
    dag_id        text        NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
    warning_type  text        NOT NULL,
    message       text        NOT NULL,
    timestamp     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dag_id, warning_type)
);
