-- Airflow's run notes (2.5+): a user's free-text note on a DAG run, set when triggering it or
-- later with PATCH .../dagRuns/{dag_run_id}/setNote.
ALTER TABLE dag_run ADD COLUMN note text;
