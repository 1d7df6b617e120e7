package dev.gust.scheduler.operators.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorOperatorTest {

    private final Clock clock = Clock.systemUTC();
    private final SensorOperator fileSensor = new SensorOperator(new FileSensor(), clock);

    @Test
    void pokeModeSucceedsOnceTheFileAppears(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("partner_20240101.csv");
        FakeTaskRunContext context = FakeTaskRunContext.of("filepath", dir + "/partner_*.csv", "poke_interval", 0.05);
        CompletableFuture<OperatorOutcome> waiting = CompletableFuture.supplyAsync(() -> run(fileSensor, context));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        Files.writeString(file, "data");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.logLines).anyMatch(l -> l.startsWith("Condition not met; poking again in 50 ms"));
    }

    @Test
    void rescheduleModePokesOnceAndAsksForTheNextTry(@TempDir Path dir) throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "filepath", dir.resolve("missing").toString(), "mode", "reschedule", "poke_interval", "5m");
        Instant before = Instant.now();
        OperatorOutcome outcome = fileSensor.execute(context);
        assertThat(outcome).isInstanceOf(OperatorOutcome.Reschedule.class);
        Instant next = ((OperatorOutcome.Reschedule) outcome).nextTry();
        assertThat(next)
                .isBetween(before.plus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofMinutes(5)));
    }

    @Test
    void rescheduleModeTimesOutCountingFromTheFirstTry(@TempDir Path dir) throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                        "filepath", dir.resolve("missing").toString(), "mode", "reschedule", "timeout", "1h")
                .firstTryStartedAt(Instant.now().minus(Duration.ofHours(2)));
        OperatorOutcome outcome = fileSensor.execute(context);
        assertThat(outcome).isInstanceOf(OperatorOutcome.FailedWithoutRetry.class);
        assertThat(((OperatorOutcome.FailedWithoutRetry) outcome).reason())
                .startsWith("Sensor has timed out; run duration of 72")
                .endsWith("specified timeout of 3600 seconds.");
    }

    @Test
    void pokeModeTimesOutAndSoftFailSkips(@TempDir Path dir) throws Exception {
        String missing = dir.resolve("missing").toString();
        long start = System.nanoTime();
        assertThat(fileSensor.execute(FakeTaskRunContext.of("filepath", missing, "poke_interval", 0.1, "timeout", 0.5)))
                .isInstanceOf(OperatorOutcome.FailedWithoutRetry.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(fileSensor.execute(FakeTaskRunContext.of(
                        "filepath", missing, "poke_interval", 0.1, "timeout", 0.3, "soft_fail", true)))
                .isInstanceOf(OperatorOutcome.Skipped.class);
    }

    @Test
    void anInterruptDuringTheSleepEndsTheSensorAtOnce(@TempDir Path dir) throws Exception {
        FakeTaskRunContext context =
                FakeTaskRunContext.of("filepath", dir.resolve("missing").toString(), "poke_interval", 300);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                fileSensor.execute(context);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(200);
        long start = System.nanoTime();
        runner.interrupt();
        runner.join(Duration.ofSeconds(60));
        // a functional bound, not a speed check: far below the 300 s poke interval it would sleep,
        // and loose enough for a loaded 2-core CI machine (1 s was once missed by 60 ms)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void exponentialBackoffDoublesTheIntervalUpToMaxWait() throws Exception {
        AtomicInteger pokes = new AtomicInteger();
        Sensor third = new Sensor() {
            public OperatorDefinition definition() {
                return OperatorDefinition.builder("third").build();
            }

            public boolean poke(dev.gust.scheduler.operators.TaskRunContext context) {
                return pokes.incrementAndGet() == 4;
            }
        };
        FakeTaskRunContext context =
                FakeTaskRunContext.of("poke_interval", 0.02, "exponential_backoff", true, "max_wait", 0.06);
        assertThat(new SensorOperator(third, clock).execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.logLines)
                .filteredOn(l -> l.startsWith("Condition not met"))
                .containsExactly(
                        "Condition not met; poking again in 20 ms",
                        "Condition not met; poking again in 40 ms",
                        "Condition not met; poking again in 60 ms");
        SensorSettings settings = new SensorSettings(
                SensorMode.RESCHEDULE, Duration.ofSeconds(10), Duration.ofDays(1), false, true, null);
        assertThat(settings.pokesIn(Duration.ZERO)).isEqualTo(1);
        assertThat(settings.pokesIn(Duration.ofSeconds(30))).isEqualTo(3);
        assertThat(settings.intervalAfter(3)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void fileSensorGlobsRecursivelyOnlyWhenAsked(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/deep.csv"), "x");
        Files.createDirectories(dir.resolve("empty_dir"));
        FileSensor sensor = new FileSensor();
        assertThat(sensor.poke(FakeTaskRunContext.of("filepath", dir + "/**/deep.csv", "recursive", true)))
                .isTrue();
        assertThat(sensor.poke(FakeTaskRunContext.of("filepath", dir + "/**/deep.csv")))
                .isFalse();
        assertThat(sensor.poke(FakeTaskRunContext.of("filepath", dir + "/a/*/deep.csv")))
                .isTrue();
        assertThat(sensor.poke(FakeTaskRunContext.of("filepath", dir + "/a"))).isTrue();
        assertThat(sensor.poke(FakeTaskRunContext.of("filepath", dir + "/empty_dir")))
                .isFalse();
    }

    @Test
    void timeDeltaSensorWaitsPastTheDataIntervalEnd() throws Exception {
        SensorOperator sensor = new SensorOperator(new TimeDeltaSensor(clock), clock);
        assertThat(sensor.execute(FakeTaskRunContext.of("delta", "1h")
                        .dataIntervalEnd(Instant.now().minus(Duration.ofHours(2)))))
                .isEqualTo(new OperatorOutcome.Success());
        assertThat(sensor.execute(FakeTaskRunContext.of("delta", "1h", "mode", "reschedule")
                        .dataIntervalEnd(Instant.now())))
                .isInstanceOf(OperatorOutcome.Reschedule.class);
    }

    @Test
    void externalTaskSensorChecksStatesAtTheShiftedLogicalDate() throws Exception {
        SensorOperator sensor = new SensorOperator(new ExternalTaskSensor(), clock);
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "external_dag_id",
                "etl",
                "external_task_id",
                "load",
                "execution_delta",
                "1h",
                "mode",
                "reschedule",
                "failed_states",
                "failed, upstream_failed");
        assertThat(sensor.execute(context)).isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(context.externalLookups).containsExactly(Instant.parse("2023-12-31T23:00:00Z"));
        context.externalStates.put("etl/load", "running");
        assertThat(sensor.execute(context)).isInstanceOf(OperatorOutcome.Reschedule.class);
        context.externalStates.put("etl/load", "success");
        assertThat(sensor.execute(context)).isEqualTo(new OperatorOutcome.Success());
        context.externalStates.put("etl/load", "upstream_failed");
        assertThat(sensor.execute(context)).isInstanceOf(OperatorOutcome.Failed.class);

        FakeTaskRunContext wholeDag = FakeTaskRunContext.of("external_dag_id", "etl", "skipped_states", "failed");
        wholeDag.externalStates.put("etl", "failed");
        assertThat(sensor.execute(wholeDag)).isInstanceOf(OperatorOutcome.Skipped.class);
    }

    @Test
    void externalTaskSensorCountsEachInstanceOfAMappedTaskAndWaitsForEveryListedTask() throws Exception {
        SensorOperator sensor = new SensorOperator(new ExternalTaskSensor(), clock);
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "external_dag_id",
                "etl",
                "external_task_ids",
                List.of("fan", "load"),
                "mode",
                "reschedule",
                "failed_states",
                "failed",
                "skipped_states",
                "skipped");
        context.externalStates.put("etl/fan", "success,running,success");
        context.externalStates.put("etl/load", "success");
        assertThat(sensor.execute(context))
                .as("one instance of the mapped task still runs")
                .isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(context.logText()).contains("task 'fan' of DAG 'etl'", "3 instances: 2 success, 1 running");
        context.externalStates.put("etl/fan", "success,success,success");
        context.externalStates.remove("etl/load");
        assertThat(sensor.execute(context))
                .as("load has no task instance yet")
                .isInstanceOf(OperatorOutcome.Reschedule.class);
        context.externalStates.put("etl/load", "success");
        assertThat(sensor.execute(context)).isEqualTo(new OperatorOutcome.Success());
        context.externalStates.put("etl/fan", "success,failed,running");
        assertThat(sensor.execute(context))
                .isInstanceOfSatisfying(
                        OperatorOutcome.Failed.class,
                        f -> assertThat(f.reason())
                                .isEqualTo(
                                        "The external task 'fan' of DAG 'etl' at 2024-01-01T00:00:00Z has an instance in"
                                                + " failed state failed."));
        context.externalStates.put("etl/fan", "success,skipped,success");
        assertThat(sensor.execute(context)).isInstanceOf(OperatorOutcome.Skipped.class);

        FakeTaskRunContext both = FakeTaskRunContext.of(
                "external_dag_id", "etl", "external_task_id", "load", "external_task_ids", List.of("fan"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sensor.execute(both))
                .isInstanceOf(dev.gust.scheduler.operators.InvalidArgumentException.class)
                .hasMessageContaining("external_task_id and external_task_ids are both set");
    }

    private static OperatorOutcome run(SensorOperator sensor, FakeTaskRunContext context) {
        try {
            return sensor.execute(context);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
