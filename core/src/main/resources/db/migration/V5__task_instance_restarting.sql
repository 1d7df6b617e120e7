-- Airflow's 'restarting': a task instance cleared while it ran waits in this state until its
-- runner has stopped, so a cleared task never runs twice at once (see TaskStateMachine).
ALTER TABLE task_instance DROP CONSTRAINT task_instance_state_check;
ALTER TABLE task_instance ADD CONSTRAINT task_instance_state_check
    CHECK (state IN ('none', 'scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry',
                     'up_for_reschedule', 'upstream_failed', 'skipped', 'removed', 'restarting'));

-- A restarting runner still holds its pool slot, and the zombie sweep looks for restarting rows
-- whose runner died as it looks for running ones.
DROP INDEX task_instance_running_heartbeat_idx;
CREATE INDEX task_instance_running_heartbeat_idx ON task_instance (last_heartbeat_at)
    WHERE state IN ('running', 'restarting');
DROP INDEX task_instance_pool_idx;
CREATE INDEX task_instance_pool_idx ON task_instance (pool)
    WHERE state IN ('queued', 'running', 'restarting');
