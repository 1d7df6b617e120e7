package dev.gust.core.dag.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFileResult;
import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DagBuilder;
import dev.gust.core.dag.model.DatasetCondition;
import dev.gust.core.dag.model.DeadlineAlert;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskDoc;
import dev.gust.core.dag.model.TaskGroup;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TaskSpecBuilder;
import dev.gust.core.dag.model.TriggerRule;
import dev.gust.core.dag.model.WeightRule;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DagSerializerTest {

    private final DagSerializer serializer = new DagSerializer();

    @Test
    void roundTripsAParsedDagExactly() {
        DagFileResult result = new DagFileParser().parse("dags/etl.yaml", """
                etl:
                  description: nightly
                  schedule: '30 2 * * 1-5'
                  timezone: Europe/Paris
                  start_date: 2024-03-01
                  dagrun_timeout: 1h
                  catchup: true
                  params: {n: 3, big: 12345678901, ratio: 0.5, list: [1, 'two', null], flag: true}
                  default_args: {owner: me, retries: 2}
                  tasks:
                    a: {operator: bash, bash_command: "echo {{ ds }}", env: {X: '1'}}
                    b: {operator: empty, dependencies: [a], trigger_rule: all_done, execution_timeout: 90}
                    c: {operator: bash, bash_command: x, expand: {env: [{A: 1}, {A: 2}]}, dependencies: [a]}
                """);
        assertThat(result.errors()).isEmpty();
        Dag dag = result.dags().getFirst();

        String json = serializer.toJson(dag);

        assertThat(serializer.fromJson(json)).isEqualTo(dag);
        assertThat(serializer.toJson(serializer.fromJson(json))).isEqualTo(json);
        assertThat(json)
                .contains("\"schedule\":{\"type\":\"cron\",\"expression\":\"30 2 * * 1-5\"}")
                .contains("\"timezone\":\"Europe/Paris\"")
                .contains("\"startDate\":\"2024-02-29T23:00:00Z\"");
    }

    @Test
    void roundTripsTaskGroupsAndLeavesThemOutOfDagsWithout() {
        DagFileResult result = new DagFileParser().parse("dags/g.yaml", """
                grouped:
                  task_groups:
                    outer: {tooltip: the outer one}
                    inner: {parent_group_name: outer, prefix_group_id: false}
                  tasks:
                    a: {operator: empty, task_group_name: outer}
                    b: {operator: empty, task_group_name: inner, dependencies: [a]}
                plain:
                  tasks:
                    a: {operator: empty}
                """);
        assertThat(result.errors()).isEmpty();
        Dag grouped = result.dags().getFirst();

        String json = serializer.toJson(grouped);

        assertThat(serializer.fromJson(json)).isEqualTo(grouped);
        assertThat(serializer.fromJson(json).taskGroups()).hasSize(2);
        assertThat(json).contains("\"taskGroupId\":\"outer.inner\"").contains("\"tooltip\":\"the outer one\"");
        // a DAG without groups serializes as before, so its version hash does not change
        assertThat(serializer.toJson(result.dags().get(1)))
                .doesNotContain("taskGroup")
                .doesNotContain("taskGroups");
    }

    @Test
    void jsonIsCanonicalWhateverTheMapOrder() {
        Dag one = dag(Map.of(), new LinkedHashMap<>(Map.of("a", 1)));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("z", 1);
        params.put("a", 2);
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("a", 2);
        reversed.put("z", 1);
        assertThat(serializer.toJson(dag(params, Map.of()))).isEqualTo(serializer.toJson(dag(reversed, Map.of())));
        assertThat(serializer.versionHash(dag(params, Map.of())))
                .isEqualTo(serializer.versionHash(dag(reversed, Map.of())))
                .hasSize(64)
                .matches("[0-9a-f]+");
        assertThat(serializer.versionHash(one)).isNotEqualTo(serializer.versionHash(dag(params, Map.of())));
    }

    private static Dag dag(Map<String, Object> params, Map<String, Object> defaultArgs) {
        return new DagBuilder(new TaskSpecBuilder("t").build())
                .arguments(params, defaultArgs)
                .build();
    }

    @Test
    void roundTripsGeneratedDags() {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            Dag dag = randomDag(random, i);
            String json = serializer.toJson(dag);
            assertThat(serializer.fromJson(json)).as(json).isEqualTo(dag);
        }
    }

    private static Dag randomDag(Random random, int n) {
        List<TaskSpec> tasks = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int t = 0; t < count; t++) {
            List<String> upstream = t == 0 || random.nextBoolean() ? List.of() : List.of("t" + random.nextInt(t));
            tasks.add(new TaskSpec(
                    "t" + t,
                    pick(random, "bash", "http", "empty"),
                    randomMap(random, 2),
                    upstream,
                    random.nextInt(5),
                    Duration.ofSeconds(random.nextInt(1000)),
                    random.nextBoolean(),
                    random.nextBoolean() ? null : Duration.ofMinutes(random.nextInt(60)),
                    random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(100_000)),
                    pick(random, "default_pool", "db"),
                    1 + random.nextInt(3),
                    random.nextInt(10) - 5,
                    WeightRule.values()[random.nextInt(WeightRule.values().length)],
                    TriggerRule.values()[random.nextInt(TriggerRule.values().length)],
                    random.nextBoolean() ? null : "owner" + n,
                    random.nextBoolean(),
                    random.nextBoolean() ? null : "https://hooks.example.com/" + n,
                    random.nextBoolean() ? null : Map.of("bash_command", List.of("a", "b")),
                    t + 2,
                    random.nextBoolean(),
                    random.nextBoolean(),
                    random.nextBoolean() ? null : new TaskDoc(pick(random, "doc_md", "doc", "doc_json"), "doc " + t),
                    random.nextBoolean() ? null : "g" + random.nextInt(2),
                    random.nextBoolean() ? null : Map.of("p" + random.nextInt(3), random.nextInt(9)),
                    random.nextBoolean() ? null : List.of("s3://out/" + t),
                    random.nextBoolean() ? null : List.of("s3://in/" + t, "s3://in/x"),
                    3,
                    1,
                    random.nextBoolean() ? null : randomCallbacks(random, t),
                    random.nextBoolean() ? null : "{{ task.bash_command }} " + t,
                    random.nextBoolean() ? null : List.of("alias-" + t),
                    random.nextBoolean() ? null : Duration.ofMinutes(1 + random.nextInt(90))));
        }
        Schedule schedule = switch (random.nextInt(11)) {
            case 0 -> new Schedule.None();
            case 1 -> new Schedule.Once();
            case 2 -> new Schedule.Cron("0 " + random.nextInt(24) + " * * *", random.nextBoolean() ? "@daily" : null);
            case 3 -> new Schedule.FixedInterval(Duration.ofSeconds(1 + random.nextInt(100_000)));
            case 4 -> new Schedule.Cron("0 1 * * 3", null, ZoneId.of("Asia/Tokyo"));
            case 5 ->
                new Schedule.CronTrigger(
                        List.of("0 " + random.nextInt(24) + " * * *", "30 6 * * 1-5"),
                        ZoneId.of("Europe/Paris"),
                        Duration.ofMinutes(random.nextInt(120)),
                        random.nextBoolean(),
                        random.nextBoolean() ? null : Duration.ofMinutes(10));
            case 6 -> new Schedule.DeltaTrigger(Duration.ofHours(1 + random.nextInt(48)), Duration.ofMinutes(30));
            case 7 ->
                new Schedule.Events(
                        List.of(Instant.parse("2024-03-01T07:00:00Z"), Instant.ofEpochSecond(random.nextInt())),
                        random.nextBoolean(),
                        random.nextBoolean() ? null : "games " + n);
            case 8 ->
                new Schedule.DatasetsOrTime(
                        List.of("s3://b/" + n),
                        new Schedule.CronTrigger(List.of("0 * * * *"), ZoneOffset.UTC, Duration.ZERO, false, null),
                        random.nextBoolean()
                                ? null
                                : new DatasetCondition.Any(List.of(new DatasetCondition.Uri("s3://b/" + n))));
            case 9 ->
                new Schedule.Datasets(
                        List.of("s3://b/" + n, "s3://b/x", "s3://b/y"),
                        new DatasetCondition.Any(List.of(
                                new DatasetCondition.All(List.of(
                                        new DatasetCondition.Uri("s3://b/" + n), new DatasetCondition.Uri("s3://b/x"))),
                                new DatasetCondition.Uri("s3://b/y"))));
            default -> new Schedule.Datasets(List.of("s3://b/" + n, "s3://b/x"));
        };
        List<ZoneId> zones = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Paris"), ZoneOffset.ofHours(-5));
        return new Dag(
                "dag_" + n,
                "f" + n + ".yaml",
                1 + random.nextInt(100),
                random.nextBoolean() ? null : "description " + n,
                random.nextBoolean() ? null : "me",
                random.nextBoolean() ? List.of() : List.of("a", "b"),
                schedule,
                random.nextBoolean() ? null : Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000)),
                random.nextBoolean() ? null : Instant.ofEpochMilli(1_800_000_000_000L + random.nextInt(1_000)),
                zones.get(random.nextInt(zones.size())),
                random.nextBoolean() ? null : random.nextBoolean(),
                random.nextBoolean() ? null : 1 + random.nextInt(5),
                random.nextBoolean() ? null : 1 + random.nextInt(5),
                random.nextBoolean() ? null : Duration.ofSeconds(random.nextInt(10_000)),
                randomMap(random, 3),
                random.nextBoolean() ? null : random.nextBoolean(),
                tasks,
                randomMap(random, 2),
                random.nextBoolean() ? Map.of() : Map.of("p", Map.<String, Object>of("type", "integer")),
                random.nextBoolean() ? null : "# Doc " + n + "\n\n*markdown*",
                random.nextBoolean() ? null : "Display " + n,
                random.nextBoolean() ? null : pick(random, "grid", "graph"),
                random.nextBoolean() ? null : pick(random, "LR", "TB", "RL", "BT"),
                random.nextBoolean() ? Map.of() : Map.of("me", "mailto:me@example.com"),
                random.nextBoolean(),
                random.nextBoolean() ? null : random.nextInt(5),
                random.nextBoolean()
                        ? List.of()
                        : List.of(
                                new TaskGroup("g0", "g0", null, "", true, null, null),
                                new TaskGroup("g0.g1", "g1", "g0", "the " + n, random.nextBoolean(), "#abc", null)),
                random.nextBoolean() ? List.of() : List.of("task 't': 'sla' is ignored: reason"),
                random.nextBoolean() ? Map.of() : randomCallbacks(random, n),
                random.nextBoolean()
                        ? List.of()
                        : List.of(
                                new DeadlineAlert(
                                        DeadlineAlert.Reference.DAGRUN_QUEUED_AT,
                                        null,
                                        Duration.ofMinutes(random.nextInt(60)),
                                        List.of(new CallbackSpec.Bash("echo late", Map.of()))),
                                new DeadlineAlert(
                                        DeadlineAlert.Reference.FIXED_DATETIME,
                                        Instant.parse("2030-01-01T10:00:00Z"),
                                        Duration.ofMinutes(-30),
                                        List.of(new CallbackSpec.Notify("sns", Map.of("target_arn", "arn:x"))))));
    }

    /** One callback of each kind, on random events, so that every kind round-trips. */
    private static Map<CallbackEvent, List<CallbackSpec>> randomCallbacks(Random random, int n) {
        Map<CallbackEvent, List<CallbackSpec>> callbacks = new EnumMap<>(CallbackEvent.class);
        CallbackEvent[] events = CallbackEvent.values();
        callbacks.put(
                events[random.nextInt(events.length)],
                List.of(
                        new CallbackSpec.Python("pkg.alerts.on_fail", null, null, Map.of("p", n)),
                        new CallbackSpec.Python(null, "notify", "cb/alerts.py", Map.of())));
        callbacks.put(
                CallbackEvent.FAILURE,
                List.of(
                        new CallbackSpec.Bash("echo {{ exception }}", Map.of("A", "b")),
                        new CallbackSpec.Http(
                                "http://sink/" + n, "PUT", Map.of("text", "{{ ti.task_id }}"), Map.of(), "sink_conn"),
                        new CallbackSpec.Notify("smtp", Map.of("to", List.of("a@example.com"), "subject", "s"))));
        return callbacks;
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static Map<String, Object> randomMap(Random random, int depth) {
        Map<String, Object> map = new HashMap<>();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            map.put("k" + random.nextInt(100), randomValue(random, depth));
        }
        return map;
    }

    private static Object randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> random.nextLong() | (1L << 40);
            case 3 -> random.nextDouble();
            case 4 -> random.nextBoolean();
            case 5 -> "text {{ ds }} " + random.nextInt(100);
            case 6 -> new BigInteger("123456789012345678901234567890");
            case 7 -> Arrays.asList(randomValue(random, depth - 1), randomValue(random, depth - 1));
            default -> randomMap(random, depth - 1);
        };
    }
}
