package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every trigger rule end to end: real bash upstreams that succeed ({@code exit 0}), fail
 * ({@code exit 1}) or skip ({@code exit 99}), and the state the scheduling loop gives the
 * downstream task, as Airflow 2 would. All cases live in one DAG run (each downstream depends
 * only on its own upstreams), so the whole table costs one run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineTriggerRulesTest {

    private static EngineHarness harness;
    private static DagRun run;
    private static Path ran;

    /** rule, upstreams (s = success, f = failed, k = skipped), expected downstream state. */
    private record Case(String rule, String upstreams, TaskState expected) {
        String taskId() {
            return rule + "__" + upstreams;
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("all_success", "ss", TaskState.SUCCESS),
            new Case("all_success", "sf", TaskState.UPSTREAM_FAILED),
            new Case("all_success", "sk", TaskState.SKIPPED),
            new Case("all_failed", "ff", TaskState.SUCCESS),
            new Case("all_failed", "sf", TaskState.SKIPPED),
            new Case("all_failed", "fk", TaskState.SKIPPED),
            new Case("all_done", "sfk", TaskState.SUCCESS),
            new Case("all_skipped", "kk", TaskState.SUCCESS),
            new Case("all_skipped", "sk", TaskState.SKIPPED),
            new Case("all_skipped", "fk", TaskState.SKIPPED),
            new Case("one_success", "sf", TaskState.SUCCESS),
            new Case("one_success", "ff", TaskState.UPSTREAM_FAILED),
            new Case("one_success", "fk", TaskState.UPSTREAM_FAILED),
            new Case("one_success", "kk", TaskState.SKIPPED),
            new Case("one_failed", "sf", TaskState.SUCCESS),
            new Case("one_failed", "ss", TaskState.SKIPPED),
            new Case("one_failed", "sk", TaskState.SKIPPED),
            new Case("one_done", "fk", TaskState.SUCCESS),
            new Case("one_done", "sk", TaskState.SUCCESS),
            new Case("one_done", "kk", TaskState.SKIPPED),
            new Case("none_failed", "sk", TaskState.SUCCESS),
            new Case("none_failed", "kk", TaskState.SUCCESS),
            new Case("none_failed", "sf", TaskState.UPSTREAM_FAILED),
            new Case("none_failed_min_one_success", "sk", TaskState.SUCCESS),
            new Case("none_failed_min_one_success", "kk", TaskState.SKIPPED),
            new Case("none_failed_min_one_success", "sf", TaskState.UPSTREAM_FAILED),
            new Case("none_skipped", "sf", TaskState.SUCCESS),
            new Case("none_skipped", "sk", TaskState.SKIPPED),
            new Case("always", "fk", TaskState.SUCCESS),
            new Case("always", "ff", TaskState.SUCCESS));

    @BeforeAll
    static void runTheDag() throws Exception {
        harness = EngineHarness.create();
        ran = harness.dir().resolve("ran");
        StringBuilder yaml = new StringBuilder("""
                trigger_rules:
                  schedule: null
                  tasks:
                    s1: {operator: bash, bash_command: 'exit 0'}
                    s2: {operator: bash, bash_command: 'exit 0'}
                    f1: {operator: bash, bash_command: 'exit 1'}
                    f2: {operator: bash, bash_command: 'exit 1'}
                    k1: {operator: bash, bash_command: 'exit 99'}
                    k2: {operator: bash, bash_command: 'exit 99'}
                """);
        for (Case c : CASES) {
            yaml.append("    ")
                    .append(c.taskId())
                    .append(":\n")
                    .append("      operator: bash\n")
                    .append("      bash_command: ")
                    .append(EngineHarness.yaml(EngineHarness.record(ran, "ran")))
                    .append('\n')
                    .append("      trigger_rule: ")
                    .append(c.rule())
                    .append('\n')
                    .append("      dependencies: ")
                    .append(upstreamIds(c.upstreams()))
                    .append('\n');
        }
        // Chains: a skip travels down all_success tasks as skips, a failure as upstream_failed.
        yaml.append("""
                    skip_chain_1: {operator: bash, bash_command: 'exit 0', dependencies: [k1]}
                    skip_chain_2: {operator: bash, bash_command: 'exit 0', dependencies: [skip_chain_1]}
                    skip_chain_3: {operator: bash, bash_command: 'exit 0', dependencies: [skip_chain_2]}
                    fail_chain_1: {operator: bash, bash_command: 'exit 0', dependencies: [f1]}
                    fail_chain_2: {operator: bash, bash_command: 'exit 0', dependencies: [fail_chain_1]}
                    fail_chain_3: {operator: bash, bash_command: 'exit 0', dependencies: [fail_chain_2]}
                    after_fail_chain: {operator: bash, bash_command: 'exit 0', trigger_rule: all_done, dependencies: [fail_chain_3]}
                """);
        // one_success and one_failed need not wait for a slow upstream: they run once one upstream decides.
        String slow = EngineHarness.yaml("sleep 2; " + EngineHarness.record(ran, "end"));
        String eager = EngineHarness.yaml(EngineHarness.record(ran, "ran"));
        yaml.append("""
                    slow: {operator: bash, bash_command: %1$s}
                    eager_one_success: {operator: bash, bash_command: %2$s, trigger_rule: one_success, dependencies: [s1, slow]}
                    eager_one_failed: {operator: bash, bash_command: %2$s, trigger_rule: one_failed, dependencies: [f1, slow]}
                """.formatted(slow, eager));
        harness.dag("trigger_rules.yaml", yaml.toString());
        run = harness.run("trigger_rules");
    }

    @AfterAll
    static void tearDown() {
        harness.close();
    }

    private static List<String> upstreamIds(String codes) {
        List<String> ids = new ArrayList<>();
        Map<Character, Integer> used = new LinkedHashMap<>();
        for (char code : codes.toCharArray()) {
            int n = used.merge(code, 1, Integer::sum);
            ids.add(code + Integer.toString(n));
        }
        return ids;
    }

    @Test
    void upstreamsEndedAsTheirExitCodesSay() {
        Map<String, TaskState> states = harness.states(run);
        assertThat(states)
                .containsEntry("s1", TaskState.SUCCESS)
                .containsEntry("s2", TaskState.SUCCESS)
                .containsEntry("f1", TaskState.FAILED)
                .containsEntry("f2", TaskState.FAILED)
                .containsEntry("k1", TaskState.SKIPPED)
                .containsEntry("k2", TaskState.SKIPPED);
    }

    @Test
    void eachRuleGivesItsDownstreamAirflowsState() {
        Map<String, TaskState> states = harness.states(run);
        List<String> reallyRan = EngineHarness.events(ran).stream()
                .map(EngineHarness.Event::taskId)
                .toList();
        SoftAssertions soft = new SoftAssertions();
        for (Case c : CASES) {
            soft.assertThat(states.get(c.taskId()))
                    .as(c.rule() + " with upstreams " + c.upstreams())
                    .isEqualTo(c.expected());
            // A task the rule let run really ran its command, once; a task it settled never ran.
            soft.assertThat(reallyRan.stream().filter(c.taskId()::equals).count())
                    .as("times " + c.taskId() + " ran")
                    .isEqualTo(c.expected() == TaskState.SUCCESS ? 1 : 0);
        }
        soft.assertAll();
    }

    @Test
    void skipsAndUpstreamFailuresPropagateThroughChains() {
        Map<String, TaskState> states = harness.states(run);
        assertThat(states)
                .containsEntry("skip_chain_1", TaskState.SKIPPED)
                .containsEntry("skip_chain_2", TaskState.SKIPPED)
                .containsEntry("skip_chain_3", TaskState.SKIPPED)
                .containsEntry("fail_chain_1", TaskState.UPSTREAM_FAILED)
                .containsEntry("fail_chain_2", TaskState.UPSTREAM_FAILED)
                .containsEntry("fail_chain_3", TaskState.UPSTREAM_FAILED)
                .containsEntry("after_fail_chain", TaskState.SUCCESS);
    }

    @Test
    void oneSuccessAndOneFailedRunWithoutWaitingForTheOtherUpstreams() {
        List<EngineHarness.Event> events = EngineHarness.events(ran);
        long slowEnded = events.stream()
                .filter(e -> e.taskId().equals("slow"))
                .findFirst()
                .orElseThrow()
                .nanos();
        for (String eager : List.of("eager_one_success", "eager_one_failed")) {
            assertThat(harness.states(run)).containsEntry(eager, TaskState.SUCCESS);
            long ranAt = events.stream()
                    .filter(e -> e.taskId().equals(eager))
                    .findFirst()
                    .orElseThrow()
                    .nanos();
            assertThat(ranAt).as(eager + " ran before its slow upstream ended").isLessThan(slowEnded);
        }
    }

    @Test
    void theRunEndsFailedBecauseSomeLeavesFailed() {
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        assertThat(harness.states(run).values()).allMatch(TaskState::isFinished);
    }
}
