package dev.gust.scheduler.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.util.HashMap;
import java.util.Map;

/**
 * Which DAGs have a schedule trigger armed in Quartz's tables, read in one query: a DAG's job
 * that asks for recovery and has at least one trigger, with the DAG version it was armed for (the
 * job's description). Checking ten thousand DAGs through Quartz's API costs two queries per DAG;
 * this costs one in all.
 */
final class ArmedTriggers {

    private final Jdbc jdbc;
    private final String schedulerName;
    private final String group;

    ArmedTriggers(Jdbc jdbc, String schedulerName, String group) {
        this.jdbc = jdbc;
        this.schedulerName = schedulerName;
        this.group = group;
    }

    /** The version each armed DAG's job was armed for, by DAG id (null for a job armed before versions were recorded). */
    Map<String, String> versions() {
        Map<String, String> versions = new HashMap<>();
        jdbc.query("""
                        SELECT j.job_name, j.description FROM qrtz_job_details j
                         WHERE j.sched_name = :scheduler AND j.job_group = :group AND j.requests_recovery
                           AND EXISTS (SELECT 1 FROM qrtz_triggers t
                                        WHERE t.sched_name = j.sched_name AND t.job_name = j.job_name
                                          AND t.job_group = j.job_group)""", Params.of("scheduler", schedulerName).and("group", group), row ->
                        new String[] {row.getString(1), row.getString(2)})
                .forEach(row -> versions.put(row[0], row[1]));
        return versions;
    }
}
