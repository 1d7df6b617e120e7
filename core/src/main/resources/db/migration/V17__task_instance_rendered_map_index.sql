-- Airflow's named mapping: the text a mapped task's map_index_template rendered to when the
-- instance ran (its rendered_map_index), shown instead of the bare index. Null until then, and
-- for tasks without a template.
ALTER TABLE task_instance ADD COLUMN rendered_map_index text;
