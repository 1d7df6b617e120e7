package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskGroup;
import dev.gust.core.dag.model.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Loads the task group files of the dag-factory corpus and compares the DAG each builds with
 * what dag-factory and Airflow build from it, written out by hand: Airflow's task ids, each
 * task's group and upstream ids (a set, as in Airflow), the groups, and what group default_args
 * give the tasks.
 */
class TaskGroupsCorpusTest {

    private static final String CORPUS = "/dagfactory-corpus/task-groups/";

    /** What Airflow has for one task. */
    private record Expected(String taskId, String group, Set<String> upstream) {}

    private static Expected task(String taskId, String group, String... upstream) {
        return new Expected(taskId, group, Set.of(upstream));
    }

    private static Dag load(String file) throws IOException {
        String content;
        try (InputStream in = TaskGroupsCorpusTest.class.getResourceAsStream(CORPUS + file)) {
            assertThat(in).as("corpus file " + file).isNotNull();
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        DagFileResult result = new DagFileParser().parse(file, content);
        assertThat(result.errors()).as(file).isEmpty();
        assertThat(result.dags()).as(file).hasSize(1);
        return result.dags().getFirst();
    }

    private static void assertTasks(Dag dag, Expected... expected) {
        List<Expected> actual = dag.tasks().stream()
                .map(t -> new Expected(t.taskId(), t.taskGroupId(), Set.copyOf(t.upstream())))
                .toList();
        assertThat(actual).containsExactly(expected);
    }

    private static Map<String, TaskSpec> byId(Dag dag) {
        return dag.tasks().stream()
                .collect(Collectors.toMap(TaskSpec::taskId, t -> t, (a, b) -> a, LinkedHashMap::new));
    }

    @Test
    void listForm() throws IOException {
        Dag dag = load("list_form.yml");
        assertThat(dag.dagId()).isEqualTo("example_task_group");
        assertThat(dag.schedule()).isEqualTo(new Schedule.Cron("0 1 * * *", null));
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(dag.taskGroups())
                .containsExactly(
                        new TaskGroup("task_group_1", "task_group_1", null, "this is a task group", true, null, null),
                        new TaskGroup(
                                "task_group_1.task_group_2",
                                "task_group_2",
                                "task_group_1",
                                "this is a nested task group",
                                true,
                                null,
                                null));
        // task_group_1 depends on task_1: its roots (task_2 and, through the nested group, task_4)
        // get task_1; task_5 depends on the group's leaves, the same two tasks
        assertTasks(
                dag,
                task("task_1", null),
                task("task_group_1.task_2", "task_group_1", "task_1"),
                task("task_group_1.task_group_2.task_4", "task_group_1.task_group_2", "task_1"),
                task("task_5", null, "task_group_1.task_2", "task_group_1.task_group_2.task_4"));
        assertThat(dag.tasks()).extracting(TaskSpec::owner).containsOnly("default_owner");
    }

    @Test
    void mappingForm() throws IOException {
        Dag dag = load("mapping_form.yml");
        assertThat(dag.dagId()).isEqualTo("basic_example_dag_dict_format");
        assertThat(dag.schedule()).isEqualTo(new Schedule.Cron("0 3 * * *", null));
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-11-11T00:00:00Z"));
        assertThat(dag.taskGroups())
                .containsExactly(new TaskGroup(
                        "example_task_group",
                        "example_task_group",
                        null,
                        "this is an example task group",
                        true,
                        null,
                        null));
        assertTasks(
                dag,
                task("task_1", null),
                task("task_2", null, "task_1"),
                task("example_task_group.task_3", "example_task_group", "task_1"));
        assertThat(dag.tasks()).extracting(TaskSpec::owner).containsOnly("custom_owner");
    }

    @Test
    void groupDefaultArgsPrefixesAndDependenciesBetweenGroups() throws IOException {
        Dag dag = load("defaults_and_prefixes.yml");
        assertThat(dag.taskGroups())
                .containsExactly(
                        new TaskGroup("extract", "extract", null, "pull from the sources", true, null, null),
                        new TaskGroup("extract.extract_api", "extract_api", "extract", "", true, null, null),
                        new TaskGroup("transform", "transform", null, "", false, null, null));
        // transform depends on extract: its root (clean) gets extract's leaves (orders, customers
        // and api_check, which runs after api_pull); publish depends on transform's leaf, join
        assertTasks(
                dag,
                task("start", null),
                task("extract.orders", "extract", "start"),
                task("extract.customers", "extract", "start"),
                task("extract.extract_api.api_pull", "extract.extract_api", "start"),
                task("extract.extract_api.api_check", "extract.extract_api", "extract.extract_api.api_pull"),
                task("clean", "transform", "extract.orders", "extract.customers", "extract.extract_api.api_check"),
                task("join", "transform", "clean"),
                task("publish", null, "join"));
        Map<String, TaskSpec> tasks = byId(dag);
        // retries: the DAG's default_args say 2 (over the default block's 1), extract's say 4, a
        // task's own key wins over all; a nested group extends its parent's default_args
        assertThat(tasks.values()).extracting(TaskSpec::retries).containsExactly(2, 4, 4, 4, 0, 2, 2, 2);
        assertThat(tasks.values())
                .extracting(TaskSpec::pool)
                .containsExactly(
                        "default_pool",
                        "extract_pool",
                        "extract_pool",
                        "extract_pool",
                        "extract_pool",
                        "default_pool",
                        "default_pool",
                        "default_pool");
        assertThat(tasks.values())
                .extracting(TaskSpec::owner)
                .containsExactly(
                        "data_team",
                        "data_team",
                        "data_team",
                        "data_team",
                        "data_team",
                        "transform_team",
                        "transform_team",
                        "data_team");
        assertThat(tasks.values())
                .extracting(TaskSpec::executionTimeout)
                .containsExactly(null, null, null, Duration.ofMinutes(10), Duration.ofMinutes(10), null, null, null);
        assertThat(tasks.values()).extracting(TaskSpec::retryDelay).containsOnly(Duration.ofMinutes(2));
    }
}
