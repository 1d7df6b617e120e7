-- The active DAGs in id order, without reading the dag rows (each carries its serialized DAG, so
-- 10,000 DAGs are ~26 MB of heap): the DAG list and GET /dags count them and page through them
-- with an index-only scan of this instead of a scan of the table (docs/benchmarks.md, Scale).
CREATE INDEX dag_active_idx ON dag (dag_id) WHERE is_active;
