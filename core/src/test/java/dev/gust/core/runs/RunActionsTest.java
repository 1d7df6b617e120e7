package dev.gust.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskInstanceTry;
import dev.gust.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Clearing and marking task instances on a real PostgreSQL, as the CLI, UI and API do. */
class RunActionsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @TempDir
    Path folder;

    DagRunRepository runs;
    TaskInstanceRepository tis;
    Dag dag;
    DagRun run;
    DagRunCreator creator;

    /** extract -> transform -> load, and extract -> audit. */
    @BeforeEach
    void oneRunOfAChain() throws Exception {
        db.jdbc().update("DELETE FROM dag", Params.none());
        Files.writeString(folder.resolve("etl.yaml"), """
                etl:
                  schedule: '@daily'
                  default_args: {start_date: 2024-01-01, retries: 2}
                  tasks:
                    extract: {operator: bash, bash_command: echo e}
                    transform: {operator: bash, bash_command: echo t, dependencies: [extract]}
                    load: {operator: bash, bash_command: echo l, dependencies: [transform]}
                    audit: {operator: bash, bash_command: echo a, dependencies: [extract]}
                """);
        DagRepository dags = new DagRepository(db.jdbc());
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                dags,
                new ImportErrorRepository(db.jdbc()),
                new dev.gust.core.store.dagwarnings.DagWarningRepository(db.jdbc()),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().importErrors()).isZero();
        }
        DagDefinitions definitions = new DagDefinitions(dags);
        dag = definitions.get("etl").orElseThrow().dag();
        runs = new DagRunRepository(db.jdbc());
        tis = new TaskInstanceRepository(db.jdbc());
        creator = new DagRunCreator(runs, definitions, false, Clock.systemUTC());
        String runId = creator.trigger("etl", Map.of(), Instant.parse("2024-02-01T00:00:00Z"), null);
        run = runs.find("etl", runId).orElseThrow();
        tis.createForRun(
                "etl",
                runId,
                dag.tasks().stream()
                        .map(t -> new NewTaskInstance(t.taskId(), -1, t.retries(), "default_pool", 1, 1, "bash"))
                        .toList());
    }

    @Test
    void aTriggerThatCannotCreateARunSaysWhatToDo() {
        assertThatThrownBy(() -> creator.trigger("etl", Map.of(), Instant.parse("2024-02-01T00:00:00Z"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DAG 'etl' already has a run at logical date 2024-02-01T00:00:00Z;"
                        + " choose another --logical-date");
        assertThatThrownBy(() -> creator.trigger("no_such_dag", Map.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no DAG 'no_such_dag'; 'gust dags list' shows the DAGs");
    }

    @Test
    void selectionFollowsTheGraphBothWays() {
        assertThat(TaskSelection.of(List.of("transform"), false, true).resolve(dag))
                .containsExactlyInAnyOrder("transform", "load");
        assertThat(TaskSelection.of(List.of("transform"), true, false).resolve(dag))
                .containsExactlyInAnyOrder("transform", "extract");
        assertThat(new TaskSelection(Pattern.compile("^(load|audit)$"), null, false, false).resolve(dag))
                .containsExactlyInAnyOrder("load", "audit");
        assertThat(TaskSelection.of(List.of("no_such_task"), true, true).resolve(dag))
                .isEmpty();
    }

    @Test
    void clearOnlyFailedResetsThemAndRequeuesTheFinishedRun() {
        setState("extract", TaskState.SUCCESS);
        setState("transform", TaskState.FAILED);
        setState("load", TaskState.UPSTREAM_FAILED);
        setState("audit", TaskState.SUCCESS);
        runs.transition(run.id(), DagRunState.QUEUED, DagRunState.FAILED);
        TaskInstanceClearing clearing = new TaskInstanceClearing(runs, tis);

        var dryRun = clearing.clear(
                dag, new TaskInstanceClearing.Request("etl", run.runId(), TaskSelection.all(), true, null, null, true));
        assertThat(dryRun.taskInstances())
                .extracting(TaskInstance::taskId)
                .containsExactlyInAnyOrder("transform", "load");
        assertThat(state("transform")).isEqualTo(TaskState.FAILED);

        var result = clearing.clear(
                dag,
                new TaskInstanceClearing.Request("etl", run.runId(), TaskSelection.all(), true, null, null, false));
        assertThat(result.runsTouched()).isEqualTo(1);
        assertThat(state("transform")).isEqualTo(TaskState.NONE);
        assertThat(state("load")).isEqualTo(TaskState.NONE);
        assertThat(state("extract")).isEqualTo(TaskState.SUCCESS);
        assertThat(runs.find("etl", run.runId()).orElseThrow().state()).isEqualTo(DagRunState.QUEUED);
    }

    @Test
    void clearSendsARunningTaskThroughRestartingAndAQueuedOneStraightToNone() {
        setState("extract", TaskState.RUNNING);
        setState("transform", TaskState.QUEUED);
        var clearing = new TaskInstanceClearing(runs, tis);
        var result = clearing.clear(
                dag,
                new TaskInstanceClearing.Request(
                        "etl",
                        null,
                        TaskSelection.of(List.of("extract", "transform"), false, false),
                        false,
                        null,
                        null,
                        false));
        assertThat(result.taskInstances())
                .extracting(TaskInstance::taskId)
                .containsExactlyInAnyOrder("extract", "transform");
        // the running one keeps its runner until it has stopped; nothing can schedule it meanwhile
        assertThat(state("extract")).isEqualTo(TaskState.RESTARTING);
        assertThat(state("transform")).isEqualTo(TaskState.NONE);

        // clearing it again changes nothing: it is already on its way
        var again = clearing.clear(
                dag,
                new TaskInstanceClearing.Request(
                        "etl", null, TaskSelection.of(List.of("extract"), false, false), false, null, null, false));
        assertThat(again.taskInstances()).isEmpty();
        assertThat(state("extract")).isEqualTo(TaskState.RESTARTING);

        TaskInstance restarting =
                tis.find(TaskInstanceKey.of("etl", run.runId(), "extract")).orElseThrow();
        assertThat(tis.releaseCleared(new TaskInstanceTry(restarting.key(), restarting.tryNumber() + 1)))
                .as("another try's runner cannot release it")
                .isFalse();
        assertThat(tis.releaseCleared(restarting.currentTry())).isTrue();
        assertThat(state("extract")).isEqualTo(TaskState.NONE);
    }

    @Test
    void markSuccessWithDownstreamChangesOnlyWhatDiffers() {
        setState("transform", TaskState.FAILED);
        setState("load", TaskState.SUCCESS);
        List<TaskInstance> changed = new TaskInstanceMarking(runs, tis)
                .mark(dag, run, TaskSelection.of(List.of("transform"), false, true), TaskState.SUCCESS, false);
        assertThat(changed).extracting(TaskInstance::taskId).containsExactly("transform");
        assertThat(state("transform")).isEqualTo(TaskState.SUCCESS);
        assertThat(state("extract")).isEqualTo(TaskState.NONE);
    }

    @Test
    void aRunsMarkPreviewNamesWhatTheMarkThenChanges() {
        setState("extract", TaskState.SUCCESS);
        setState("transform", TaskState.RUNNING);
        DagRunMarking marking = new DagRunMarking(runs, tis);

        List<DagRunMarking.Change> preview = marking.preview(dag, run, dev.gust.core.state.DagRunState.FAILED);

        assertThat(preview)
                .extracting(c -> c.taskInstance().taskId() + "->" + c.to().dbName())
                .containsExactlyInAnyOrder("transform->failed", "load->skipped", "audit->skipped");
        assertThat(state("transform")).as("a preview changes nothing").isEqualTo(TaskState.RUNNING);
        DagRun after = marking.mark(dag, run, dev.gust.core.state.DagRunState.FAILED);
        assertThat(after.state()).isEqualTo(dev.gust.core.state.DagRunState.FAILED);
        assertThat(state("transform")).isEqualTo(TaskState.FAILED);
        assertThat(state("load")).isEqualTo(TaskState.SKIPPED);
        assertThat(state("extract")).isEqualTo(TaskState.SUCCESS);
        assertThat(marking.preview(dag, after, dev.gust.core.state.DagRunState.FAILED))
                .isEmpty();
    }

    private void setState(String taskId, TaskState state) {
        db.jdbc()
                .update(
                        "UPDATE task_instance SET state = :state WHERE task_id = :taskId",
                        Params.of("state", state.dbName()).and("taskId", taskId));
    }

    private TaskState state(String taskId) {
        return tis.find(TaskInstanceKey.of("etl", run.runId(), taskId))
                .orElseThrow()
                .state();
    }
}
