-- What listings show of a DAG's presentation settings, kept on its row as Airflow keeps them
-- (dag.dag_display_name, dag.default_view; Airflow's dag_owner_attributes as one JSON object of
-- owner name -> link), so that the DAG list and the REST API read them without each DAG's
-- serialized definition. Null: not set in the DAG file.
ALTER TABLE dag ADD COLUMN dag_display_name text;
ALTER TABLE dag ADD COLUMN default_view text;
ALTER TABLE dag ADD COLUMN owner_links jsonb;
