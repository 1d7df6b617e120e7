package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.DatasetCondition;
import dev.gust.core.dag.model.DatasetCondition.All;
import dev.gust.core.dag.model.DatasetCondition.Any;
import dev.gust.core.dag.model.DatasetCondition.Uri;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets as dag-factory writes them: a task's {@code outlets} and {@code inlets}, and a DAG's
 * dataset schedule as a list, a condition string, the {@code !and}/{@code !or} tags, Airflow 3's
 * {@code __and__}/{@code __or__} with {@code airflow.sdk.Asset}, and with a timetable.
 */
class DatasetFormsTest {

    private static final DatasetCondition A_AND_B_OR_C =
            new Any(List.of(new All(List.of(new Uri("s3://a"), new Uri("s3://b"))), new Uri("s3://c")));

    private final DagFileParser parser = new DagFileParser();

    private DagFileResult parse(String schedule, String taskExtra) {
        return parser.parse(
                "t.yaml",
                "d:\n  start_date: 2024-01-01\n  schedule:\n"
                        + schedule.stripIndent()
                                .lines()
                                .map(l -> "    " + l + "\n")
                                .reduce("", String::concat)
                        + "  tasks:\n    t:\n      operator: empty\n"
                        + taskExtra
                                .stripIndent()
                                .lines()
                                .map(l -> "      " + l + "\n")
                                .reduce("", String::concat));
    }

    private Schedule schedule(String schedule) {
        DagFileResult result = parse(schedule, "");
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst().schedule();
    }

    private TaskSpec task(String extra) {
        DagFileResult result = parse("null", extra);
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst().tasks().getFirst();
    }

    @Test
    void outletsAndInletsInEveryForm() {
        TaskSpec task = task("""
                outlets:
                  - s3://bucket/plain.csv
                  - {__type__: airflow.datasets.Dataset, uri: 's3://bucket/dataset.csv'}
                  - {__type__: airflow.sdk.Asset, uri: 'file:///data.csv', name: data_asset}
                  - {__type__: airflow.sdk.Asset, name: named_only}
                inlets: ['s3://bucket/source.json']
                """);
        assertThat(task.outletUris())
                .containsExactly("s3://bucket/plain.csv", "s3://bucket/dataset.csv", "file:///data.csv", "named_only");
        assertThat(task.inletUris()).containsExactly("s3://bucket/source.json");
        assertThat(task("").outletUris()).isEmpty();
    }

    @Test
    void aBadOutletIsAnImportErrorNamingTheTask() {
        DagFileResult result = parse("null", "outlets: [{__type__: airflow.models.Variable, key: x}]");
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors().getFirst().message())
                .contains("task 't'")
                .contains("outlets")
                .contains("airflow.models.Variable");
    }

    @Test
    void aConditionStringAsDagFactoryWritesIt() {
        Schedule schedule = schedule("datasets: '((s3://a & s3://b) | s3://c)'");
        assertThat(schedule).isEqualTo(new Schedule.Datasets(List.of("s3://a", "s3://b", "s3://c"), A_AND_B_OR_C));
        assertThat(DatasetCondition.of(schedule).orElseThrow().isSatisfiedBy(Set.of("s3://a")))
                .isFalse();
        assertThat(DatasetCondition.of(schedule).orElseThrow().isSatisfiedBy(Set.of("s3://a", "s3://b")))
                .isTrue();
        assertThat(DatasetCondition.of(schedule).orElseThrow().isSatisfiedBy(Set.of("s3://c")))
                .isTrue();
        assertThat(schedule("datasets: 's3://a & s3://b | s3://c'")).isEqualTo(schedule);
    }

    @Test
    void theAndOrTags() {
        assertThat(schedule("""
                        datasets:
                          !or
                            - !and
                              - s3://a
                              - s3://b
                            - s3://c
                        """)).isEqualTo(new Schedule.Datasets(List.of("s3://a", "s3://b", "s3://c"), A_AND_B_OR_C));
    }

    @Test
    void airflowThreesAndOrMappingsOfAssets() {
        assertThat(schedule("""
                        __or__:
                          - __and__:
                              - {__type__: airflow.sdk.Asset, uri: 's3://a', extra: {hi: bye}}
                              - {__type__: airflow.sdk.Asset, uri: 's3://b'}
                          - {__type__: airflow.sdk.Asset, uri: 's3://c'}
                        """)).isEqualTo(new Schedule.Datasets(List.of("s3://a", "s3://b", "s3://c"), A_AND_B_OR_C));
        assertThat(schedule("- {__type__: airflow.sdk.Asset, uri: 's3://a', name: a}\n- s3://b"))
                .isEqualTo(new Schedule.Datasets(List.of("s3://a", "s3://b")));
        assertThat(schedule("{__type__: airflow.datasets.Dataset, uri: 's3://a'}"))
                .isEqualTo(new Schedule.Datasets(List.of("s3://a")));
    }

    @Test
    void aPlainListMeansAllOfThem() {
        Schedule schedule = schedule("['s3://a', 's3://b']");
        assertThat(schedule).isEqualTo(new Schedule.Datasets(List.of("s3://a", "s3://b")));
        DatasetCondition condition = DatasetCondition.of(schedule).orElseThrow();
        assertThat(condition.isSatisfiedBy(Set.of("s3://a"))).isFalse();
        assertThat(condition.isSatisfiedBy(Set.of("s3://a", "s3://b"))).isTrue();
    }

    @Test
    void aConditionWithATimetable() {
        Schedule schedule = schedule("""
                datasets: 's3://a | s3://b'
                timetable: {__type__: airflow.timetables.trigger.CronTriggerTimetable, cron: '0 6 * * *', timezone: UTC}
                """);
        assertThat(schedule).isInstanceOf(Schedule.DatasetsOrTime.class);
        assertThat(((Schedule.DatasetsOrTime) schedule).condition())
                .isEqualTo(new Any(List.of(new Uri("s3://a"), new Uri("s3://b"))));
    }

    @Test
    void aDatasetAliasIsAnOutletButNotASchedule() {
        TaskSpec task = task("""
                outlets:
                  - s3://bucket/fixed
                  - {__type__: airflow.datasets.DatasetAlias, name: daily-files}
                  - {__type__: airflow.sdk.AssetAlias, __args__: [other]}
                """);
        assertThat(task.outletUris()).containsExactly("s3://bucket/fixed");
        assertThat(task.outletAliasNames()).containsExactly("daily-files", "other");
        assertThat(parse("[{__type__: airflow.sdk.AssetAlias, name: daily-files}]", "")
                        .errors()
                        .getFirst()
                        .message())
                .contains("names the dataset alias 'daily-files' (AssetAlias); Gust takes a dataset alias only"
                        + " among a task's outlets: name the datasets themselves here (e.g. 's3://bucket/key')");
        assertThat(parse("null", "outlets: [{__type__: airflow.datasets.DatasetAlias}]")
                        .errors()
                        .getFirst()
                        .message())
                .contains("has a dataset alias (airflow.datasets.DatasetAlias) without a name");
    }

    @Test
    void aBrokenConditionSaysWhere() {
        DagFileResult result = parse("datasets: 's3://a & | s3://b'", "");
        assertThat(result.errors().getFirst().message()).contains("missing a dataset URI at position");
    }

    @Test
    void dagFactorysDatasetsFileResolvesNamesToUris(@TempDir Path folder) throws Exception {
        Files.createDirectories(folder.resolve("team"));
        Files.writeString(folder.resolve("team/datasets.yml"), """
                datasets:
                  - name: orders
                    uri: s3://bucket/orders.csv
                  - name: customers
                    uri: s3://bucket/customers.csv
                """);
        String dag = """
                d:
                  start_date: 2024-01-01
                  schedule:
                    file: datasets.yml
                    datasets: [customers, orders]
                  tasks:
                    t: {operator: empty}
                """;
        DagFileResult result = parser.parse("team/d.yaml", dag, folder, List.of());
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags().getFirst().schedule())
                .isEqualTo(new Schedule.Datasets(List.of("s3://bucket/customers.csv", "s3://bucket/orders.csv")));

        DagFileResult unknown =
                parser.parse("team/d.yaml", dag.replace("customers, orders", "payments"), folder, List.of());
        assertThat(unknown.errors().getFirst().message())
                .contains("names dataset 'payments', which the datasets file 'datasets.yml' does not list")
                .contains("orders, customers");
        // the datasets file itself is not a DAG file
        DagFileResult itself = parser.parse(
                "team/datasets.yml", Files.readString(folder.resolve("team/datasets.yml")), folder, List.of());
        assertThat(itself.errors()).isEmpty();
        assertThat(itself.dags()).isEmpty();
    }
}
