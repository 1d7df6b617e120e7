package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DagBuilder;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TaskSpecBuilder;
import dev.gust.core.dag.model.TriggerRule;
import dev.gust.core.dag.model.WeightRule;
import java.time.Duration;

/** Small DAGs and tasks for the rule tests. */
final class Tasks {

    private Tasks() {}

    static TaskSpec task(String id, String... upstream) {
        return task(id, TriggerRule.ALL_SUCCESS, upstream);
    }

    static TaskSpec task(String id, TriggerRule rule, String... upstream) {
        return new TaskSpecBuilder(id, upstream).triggerRule(rule).build();
    }

    static TaskSpec weighted(String id, int weight, WeightRule rule, String... upstream) {
        return new TaskSpecBuilder(id, upstream).priority(weight, rule).build();
    }

    static TaskSpec retrying(int retries, Duration delay, boolean exponential, Duration maxDelay) {
        return new TaskSpecBuilder("flaky")
                .retries(retries, delay, exponential, maxDelay)
                .build();
    }

    static TaskSpec dependingOnPast(String id, String... upstream) {
        return new TaskSpecBuilder(id, upstream).dependsOnPast().build();
    }

    static Dag dag(TaskSpec... tasks) {
        return new DagBuilder(tasks).build();
    }
}
