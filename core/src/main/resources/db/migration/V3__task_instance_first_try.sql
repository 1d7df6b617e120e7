-- Sensors in reschedule mode count their timeout from the first try's start, which a later
-- try's start_date would overwrite.
ALTER TABLE task_instance ADD COLUMN first_try_started_at timestamptz;
