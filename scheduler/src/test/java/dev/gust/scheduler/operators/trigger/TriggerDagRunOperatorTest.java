package dev.gust.scheduler.operators.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TriggerDagRunOperatorTest {

    private final TriggerDagRunOperator trigger =
            new TriggerDagRunOperator(Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void triggersWithConfAndPushesTheRunId() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("trigger_dag_id", "reports", "conf", "{\"source\": \"x\"}");
        assertThat(trigger.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.triggered).containsExactly("reports");
        assertThat(context.triggeredConf).isEqualTo(Map.of("source", "x"));
        assertThat(context.triggeredLogicalDate).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(context.xcoms).containsEntry("trigger_run_id", "manual__reports");
    }

    @Test
    void waitsForCompletion() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "trigger_dag_id",
                "reports",
                "wait_for_completion",
                true,
                "poke_interval",
                0.02,
                "logical_date",
                "2024-01-01");
        CompletableFuture<OperatorOutcome> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return trigger.execute(context);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(150);
        assertThat(waiting).isNotDone();
        context.dagRunStates.put("reports/manual__reports", "failed");
        OperatorOutcome outcome = waiting.get(5, TimeUnit.SECONDS);
        assertThat(outcome)
                .isEqualTo(new OperatorOutcome.Failed("DAG 'reports' run manual__reports ended in state failed."));
        assertThat(context.triggeredLogicalDate).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));

        FakeTaskRunContext done = FakeTaskRunContext.of(
                "trigger_dag_id", "reports", "wait_for_completion", "true", "poke_interval", 0.01);
        done.dagRunStates.put("reports/manual__reports", "success");
        assertThat(trigger.execute(done)).isEqualTo(new OperatorOutcome.Success());
    }
}
