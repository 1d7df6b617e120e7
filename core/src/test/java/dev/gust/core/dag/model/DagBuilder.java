package dev.gust.core.dag.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * A {@link Dag} {@code d} from {@code d.yaml} with the defaults a YAML file without options gives
 * (no schedule, UTC, no tasks), so that a test sets only the fields it is about.
 */
public final class DagBuilder {

    private Schedule schedule = new Schedule.None();
    private Instant startDate;
    private Instant endDate;
    private ZoneId timezone = ZoneOffset.UTC;
    private Boolean catchup;
    private Map<String, Object> params = Map.of();
    private Map<String, Object> defaultArgs = Map.of();
    private final List<TaskSpec> tasks;

    public DagBuilder(TaskSpec... tasks) {
        this.tasks = List.of(tasks);
    }

    public DagBuilder schedule(
            Schedule schedule, Instant startDate, Instant endDate, ZoneId timezone, Boolean catchup) {
        this.schedule = schedule;
        this.startDate = startDate;
        this.endDate = endDate;
        this.timezone = timezone;
        this.catchup = catchup;
        return this;
    }

    public DagBuilder arguments(Map<String, Object> params, Map<String, Object> defaultArgs) {
        this.params = params;
        this.defaultArgs = defaultArgs;
        return this;
    }

    public Dag build() {
        return new Dag(
                "d",
                "d.yaml",
                1,
                null,
                null,
                List.of(),
                schedule,
                startDate,
                endDate,
                timezone,
                catchup,
                null,
                null,
                null,
                params,
                null,
                tasks,
                defaultArgs,
                Map.of(),
                null,
                null,
                null,
                null,
                Map.of(),
                false,
                null,
                List.of(),
                List.of(),
                Map.of(),
                List.of());
    }
}
