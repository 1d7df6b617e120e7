-- The version of the DAG bundle (gust deploy dags) each DAG was last parsed from, as Airflow 3's
-- dag.bundle_version; null for DAGs read from a plain local folder (standalone, a mounted volume).
ALTER TABLE dag ADD COLUMN bundle_version TEXT;
