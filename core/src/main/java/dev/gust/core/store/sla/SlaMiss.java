package dev.gust.core.store.sla;

import java.time.Instant;

/**
 * One recorded miss (Airflow's {@code sla_miss} row): a task of a scheduled run that had not
 * succeeded by {@code expectedBy} (its run's data interval end plus its {@code sla}; kind
 * {@link #SLA}), or a run not finished by one of its DAG's deadlines ({@link #DEADLINE},
 * {@code taskId} empty, {@code alert} the deadline's place in the DAG's list).
 * {@code executionDate} is the run's logical date; {@code timestamp} when the miss was recorded.
 */
public record SlaMiss(
        String dagId,
        String runId,
        String taskId,
        String kind,
        int alert,
        Instant executionDate,
        Instant expectedBy,
        Instant timestamp,
        boolean notificationSent,
        String description) {

    public static final String SLA = "sla";
    public static final String DEADLINE = "deadline";

    public boolean isDeadline() {
        return DEADLINE.equals(kind);
    }
}
