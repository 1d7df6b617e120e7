package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The dag-factory corpus for dependencies on the past ({@code dagfactory-corpus/depends-on-past}):
 * each file loads to the DAG that dag-factory and Airflow would build. Expected values are
 * written out by hand from Airflow's BaseOperator: {@code wait_for_downstream} turns
 * {@code depends_on_past} on; {@code ignore_first_depends_on_past} is true unless set (Airflow
 * 2.3+); all three are taken from {@code default_args} (the file's default block merged into the
 * DAG's) unless the task sets them.
 */
class DependsOnPastCorpusTest {

    private final DagFileParser parser = new DagFileParser();

    private Dag load(String file) throws IOException {
        String path = "/dagfactory-corpus/depends-on-past/" + file;
        try (InputStream in = getClass().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            DagFileResult result = parser.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(result.errors()).isEmpty();
            assertThat(result.dags()).hasSize(1);
            return result.dags().getFirst();
        }
    }

    /** depends_on_past, ignore_first_depends_on_past, wait_for_downstream of a task, in that order. */
    private static boolean[] past(Dag dag, String taskId) {
        TaskSpec task = dag.task(taskId).orElseThrow();
        return new boolean[] {task.dependsOnPast(), task.ignoreFirstDependsOnPast(), task.waitForDownstream()};
    }

    @Test
    void mappingFormWithTheSettingInTheFilesDefaultBlock() throws IOException {
        Dag dag = load("mapping_form.yml");

        assertThat(dag.dagId()).isEqualTo("nightly_load");
        assertThat(dag.schedule()).isEqualTo(new Schedule.Cron("0 3 * * *", null));
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(dag.catchup()).isTrue();
        assertThat(dag.owner()).isEqualTo("data-eng");
        assertThat(dag.defaultArgs()).containsEntry("depends_on_past", true);
        assertThat(dag.tasks()).extracting(TaskSpec::taskId).containsExactly("extract", "transform", "notify");
        assertThat(dag.task("transform").orElseThrow().upstream()).containsExactly("extract");
        assertThat(dag.task("notify").orElseThrow().upstream()).containsExactly("transform");
        assertThat(dag.task("notify").orElseThrow().operator()).isEqualTo("empty");

        assertThat(past(dag, "extract")).as("extract").containsExactly(true, true, true);
        assertThat(past(dag, "transform")).as("transform, from default_args").containsExactly(true, true, false);
        assertThat(past(dag, "notify")).as("notify turns it off").containsExactly(false, true, false);
    }

    @Test
    void listFormWithTheSettingsInTheDagsDefaultArgs() throws IOException {
        Dag dag = load("list_form.yml");

        assertThat(dag.dagId()).isEqualTo("hourly_sync");
        assertThat(dag.schedule()).isEqualTo(new Schedule.Cron("0 * * * *", "@hourly"));
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(dag.catchup()).isFalse();
        assertThat(dag.tasks()).extracting(TaskSpec::taskId).containsExactly("pull", "publish");
        assertThat(dag.task("publish").orElseThrow().upstream()).containsExactly("pull");
        assertThat(dag.defaultArgs())
                .containsEntry("wait_for_downstream", true)
                .containsEntry("ignore_first_depends_on_past", false);

        assertThat(past(dag, "pull"))
                .as("wait_for_downstream from default_args implies depends_on_past")
                .containsExactly(true, false, true);
        assertThat(past(dag, "publish")).as("publish overrides both").containsExactly(false, false, false);
    }

    @Test
    void aTaskThatSaysNothingDoesNotDependOnThePast() {
        DagFileResult result = parser.parse("plain.yml", """
                plain:
                  tasks:
                    t: {operator: bash, bash_command: 'exit 0'}
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(past(result.dags().getFirst(), "t")).containsExactly(false, true, false);
    }

    @Test
    void aValueThatIsNotABooleanIsAnImportErrorNamingTheKey() {
        for (String key : new String[] {"wait_for_downstream", "ignore_first_depends_on_past"}) {
            DagFileResult inTask = parser.parse("bad.yml", """
                    bad:
                      tasks:
                        t: {operator: bash, bash_command: 'exit 0', %s: sometimes}
                    """.formatted(key));
            assertThat(inTask.dags()).isEmpty();
            assertThat(inTask.errors())
                    .singleElement()
                    .satisfies(e -> assertThat(e.message()).contains(key).contains("true or false"));

            DagFileResult inDefaults = parser.parse("bad.yml", """
                    bad:
                      default_args: {%s: 3}
                      tasks:
                        t: {operator: bash, bash_command: 'exit 0'}
                    """.formatted(key));
            assertThat(inDefaults.dags()).isEmpty();
            assertThat(inDefaults.errors()).isNotEmpty();
            assertThat(inDefaults.errors().getFirst().message()).contains(key);
        }
    }
}
