package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TriggerRule;
import dev.gust.core.dag.model.WeightRule;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Small DAGs and tasks for the rule tests. */
final class Tasks {

    private Tasks() {}

    static TaskSpec task(String id, String... upstream) {
        return task(id, TriggerRule.ALL_SUCCESS, upstream);
    }

    static TaskSpec task(String id, TriggerRule rule, String... upstream) {
        return new TaskSpec(
                id,
                "empty",
                Map.of(),
                List.of(upstream),
                0,
                TaskSpec.DEFAULT_RETRY_DELAY,
                false,
                null,
                null,
                TaskSpec.DEFAULT_POOL,
                1,
                1,
                WeightRule.DOWNSTREAM,
                rule,
                null,
                false,
                null,
                null,
                1);
    }

    static TaskSpec weighted(String id, int weight, WeightRule rule, String... upstream) {
        return new TaskSpec(
                id,
                "empty",
                Map.of(),
                List.of(upstream),
                0,
                TaskSpec.DEFAULT_RETRY_DELAY,
                false,
                null,
                null,
                TaskSpec.DEFAULT_POOL,
                1,
                weight,
                rule,
                TriggerRule.ALL_SUCCESS,
                null,
                false,
                null,
                null,
                1);
    }

    static TaskSpec retrying(int retries, Duration delay, boolean exponential, Duration maxDelay) {
        return new TaskSpec(
                "flaky",
                "empty",
                Map.of(),
                List.of(),
                retries,
                delay,
                exponential,
                maxDelay,
                null,
                TaskSpec.DEFAULT_POOL,
                1,
                1,
                WeightRule.DOWNSTREAM,
                TriggerRule.ALL_SUCCESS,
                null,
                false,
                null,
                null,
                1);
    }

    static TaskSpec dependingOnPast(String id, String... upstream) {
        return new TaskSpec(
                id,
                "empty",
                Map.of(),
                List.of(upstream),
                0,
                TaskSpec.DEFAULT_RETRY_DELAY,
                false,
                null,
                null,
                TaskSpec.DEFAULT_POOL,
                1,
                1,
                WeightRule.DOWNSTREAM,
                TriggerRule.ALL_SUCCESS,
                null,
                true,
                null,
                null,
                1);
    }

    static Dag dag(TaskSpec... tasks) {
        return new Dag(
                "d",
                "d.yaml",
                1,
                null,
                null,
                List.of(),
                new Schedule.None(),
                null,
                null,
                ZoneOffset.UTC,
                null,
                null,
                null,
                null,
                Map.of(),
                null,
                List.of(tasks),
                Map.of(),
                Map.of());
    }
}
