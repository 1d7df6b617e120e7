-- Airflow's next_dagrun fields, kept on the DAG's row as Airflow keeps them: the scheduler
-- writes the data interval of the DAG's next scheduled run whenever it (re)arms or fires the
-- DAG's schedule, and listings read it instead of working out every DAG's timetable per request.
-- next_dagrun is the interval's start (the run's logical date), next_dagrun_create_after its end.
ALTER TABLE dag ADD COLUMN next_dagrun_data_interval_start timestamptz;
ALTER TABLE dag ADD COLUMN next_dagrun_data_interval_end timestamptz;
