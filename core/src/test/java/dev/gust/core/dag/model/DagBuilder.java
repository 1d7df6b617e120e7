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
    private List<TaskSpec> tasks = List.of();
    private Map<String, Object> defaultArgs = Map.of();

    public DagBuilder schedule(Schedule schedule, Instant startDate, Instant endDate, ZoneId timezone) {
        this.schedule = schedule;
        this.startDate = startDate;
        this.endDate = endDate;
        this.timezone = timezone;
        return this;
    }

    public DagBuilder catchup(Boolean catchup) {
        this.catchup = catchup;
        return this;
    }

    public DagBuilder params(Map<String, Object> params) {
        this.params = params;
        return this;
    }

    public DagBuilder defaultArgs(Map<String, Object> defaultArgs) {
        this.defaultArgs = defaultArgs;
        return this;
    }

    public DagBuilder tasks(List<TaskSpec> tasks) {
        this.tasks = List.copyOf(tasks);
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
                Map.of());
    }
}
