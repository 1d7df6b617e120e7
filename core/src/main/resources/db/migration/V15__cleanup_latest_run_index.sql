-- gust db clean keeps the latest non-manual run of each DAG; this index answers "the latest start
-- date of the DAG's non-manual runs" for every row it judges without reading the DAG's runs.
CREATE INDEX dag_run_latest_non_manual_idx ON dag_run (dag_id, start_date) WHERE run_type <> 'manual';
