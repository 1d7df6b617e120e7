package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Python tries forked from the warm interpreter ({@code python.fork_server}, on by default): every
 * try is a fresh child of one clean server, in its own session, seeing only the task environment;
 * nothing a callable imports reaches the next try; a timeout kills the child's whole process
 * group; a server killed mid-run or unable to start costs no try; and the switch turns it off.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnginePythonForkServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVER_SCRIPT = "gust_fork_server.py";

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @BeforeEach
    void callables() throws IOException {
        writeCallables(harness);
    }

    @Test
    void everyTryIsAFreshChildOfOneCleanServerAndNothingItImportsReachesTheNext() throws Exception {
        String password = "pw-of-gusts-database";
        String key = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        try (EngineHarness secret = EngineHarness.create(Map.of(
                "GUST_DATABASE__PASSWORD",
                password,
                "GUST_SECURITY__ENCRYPTION_KEY",
                key,
                "GUST_DATABASE__URL",
                "postgresql://gust:" + password + "@db.internal/gust"))) {
            writeCallables(secret);
            secret.dag("fork_probe.yaml", """
                    fork_probe:
                      schedule: null
                      tasks:
                        first: {operator: python, python_callable: callables.probe.check}
                        second: {operator: python, python_callable: callables.probe.check, dependencies: [first]}
                    """);
            DagRun run = secret.run("fork_probe");

            assertThat(run.state()).as(secret.states(run).toString()).isEqualTo(DagRunState.SUCCESS);
            JsonNode first = xcom(secret, run, "first");
            JsonNode second = xcom(secret, run, "second");
            long server = first.get("ppid").asLong();
            assertThat(commandLine(server)).contains(SERVER_SCRIPT);
            assertThat(second.get("ppid").asLong())
                    .as("both forked by the same server")
                    .isEqualTo(server);
            assertThat(second.get("pid").asLong()).isNotEqualTo(first.get("pid").asLong());
            for (JsonNode probe : List.of(first, second)) {
                assertThat(probe.get("marker_loaded_before").asBoolean())
                        .as("a module imported by an earlier try")
                        .isFalse();
                assertThat(probe.get("count").asInt())
                        .as("module state of an earlier try")
                        .isEqualTo(1);
                assertThat(probe.get("own_session").asBoolean()).isTrue();
                assertThat(probe.get("leaked").size()).as(probe.toString()).isZero();
                assertThat(probe.get("dags_on_path").asBoolean()).isTrue();
            }
            assertThat(secret.log(run, "second", 1)).contains("forked from a warm interpreter");
            String serverEnvironment =
                    Files.readString(Path.of("/proc/" + server + "/environ"), StandardCharsets.UTF_8);
            assertThat(serverEnvironment)
                    .as("the server's own environment")
                    .doesNotContain(password)
                    .doesNotContain(key)
                    .doesNotContain("db.internal")
                    .doesNotContain("GUST_");
        }
    }

    @Test
    void killingTheServerMidRunLosesNoTry() throws Exception {
        Path go = harness.dir().resolve("go");
        Path serverPidFile = harness.dir().resolve("server.pid");
        harness.dag("fork_crash.yaml", """
                fork_crash:
                  schedule: null
                  tasks:
                    hold: {operator: python, python_callable: callables.probe.hold, op_args: ['%s', '%s']}
                    after_1: {operator: python, python_callable: callables.probe.parent, dependencies: [hold]}
                    after_2: {operator: python, python_callable: callables.probe.parent, dependencies: [hold]}
                    after_3: {operator: python, python_callable: callables.probe.parent, dependencies: [hold]}
                """.formatted(serverPidFile, go));
        harness.startEngine();
        DagRun run = harness.trigger("fork_crash");
        long server = EngineHarness.await(
                Duration.ofSeconds(30), "the held task's server pid", () -> readPid(serverPidFile), pid -> pid > 0);
        assertThat(commandLine(server)).contains(SERVER_SCRIPT);

        ProcessHandle.of(server).orElseThrow().destroyForcibly(); // SIGKILL
        EngineHarness.await(
                Duration.ofSeconds(10), "the server's death", () -> EngineHarness.isRunning(server), alive -> !alive);
        Files.writeString(go, "go");

        DagRun finished = harness.awaitFinished(run, Duration.ofSeconds(60));
        assertThat(finished.state()).as(harness.states(run).toString()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.states(run)).containsOnlyKeys("hold", "after_1", "after_2", "after_3");
        assertThat(harness.states(run).values()).containsOnly(TaskState.SUCCESS);
        assertThat(xcom(harness, run, "hold").asLong())
                .as("the held try outlived its server")
                .isEqualTo(server);
        for (String after : List.of("after_1", "after_2", "after_3")) {
            assertThat(harness.ti(run, after).tryNumber())
                    .as(after + " needed no retry")
                    .isEqualTo(1);
            long parent = xcom(harness, run, after).asLong();
            assertThat(parent).as(after + "'s server was started again").isNotEqualTo(server);
            assertThat(commandLine(parent)).contains(SERVER_SCRIPT);
        }
    }

    @Test
    void aServerThatCannotStartCostsNoTry() throws Exception {
        // An interpreter that runs tasks but refuses to be a fork server: every try falls back.
        Path python = harness.config()
                .python()
                .locate(harness.config().taskEnvironment())
                .orElseThrow();
        Path wrapper = harness.dir().resolve("python-no-fork-server");
        Files.writeString(wrapper, """
                #!/bin/sh
                case "$*" in *%s*) echo "no fork server here" >&2; exit 3;; esac
                exec %s "$@"
                """.formatted(SERVER_SCRIPT, python));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EngineHarness broken = EngineHarness.create(Map.of("GUST_PYTHON__INTERPRETER", wrapper.toString()))) {
            writeCallables(broken);
            broken.dag("fork_broken.yaml", """
                    fork_broken:
                      schedule: null
                      tasks:
                        t: {operator: python, python_callable: callables.probe.parent}
                        then: {operator: python, python_callable: callables.probe.parent, dependencies: [t]}
                    """);
            DagRun run = broken.run("fork_broken");

            assertThat(broken.states(run))
                    .containsEntry("t", TaskState.SUCCESS)
                    .containsEntry("then", TaskState.SUCCESS);
            assertThat(broken.ti(run, "t").tryNumber()).isEqualTo(1);
            assertThat(broken.log(run, "t", 1))
                    .contains("The Python fork server cannot start this try")
                    .contains("no fork server here")
                    .contains("running it in a fresh interpreter");
            assertThat(commandLine(xcom(broken, run, "t").asLong())).doesNotContain(SERVER_SCRIPT);
            assertThat(broken.log(run, "then", 1))
                    .as("a server that failed to start is not started again at once")
                    .contains("it failed to start less than 60s ago")
                    .contains("running it in a fresh interpreter");
        }
    }

    @Test
    void aTimeoutKillsTheForkedChildsWholeProcessGroup() throws Exception {
        Path pids = harness.dir().resolve("stubborn.pids");
        harness.dag("fork_timeout.yaml", """
                fork_timeout:
                  schedule: null
                  tasks:
                    stubborn:
                      operator: python
                      python_callable: callables.probe.stubborn_with_child
                      op_args: ['%s']
                      execution_timeout: 2s
                """.formatted(pids));
        DagRun run = harness.run("fork_timeout");

        assertThat(harness.states(run)).containsEntry("stubborn", TaskState.FAILED);
        assertThat(harness.log(run, "stubborn", 1))
                .contains("forked from a warm interpreter")
                .contains("ignoring SIGTERM")
                .contains("execution_timeout");
        List<Long> both = Files.readAllLines(pids).stream()
                .map(String::strip)
                .map(Long::parseLong)
                .toList();
        assertThat(both).hasSize(2);
        for (long pid : both) {
            assertThat(EngineHarness.isRunning(pid))
                    .as("process " + pid + " of the group")
                    .isFalse();
        }
    }

    @Test
    void aForkedTryEndsLikeAnInterpreterItsThreadsAndAtexitCallbacksRun() throws Exception {
        harness.dag("fork_exit.yaml", """
                fork_exit:
                  schedule: null
                  tasks:
                    t: {operator: python, python_callable: callables.probe.leaves_work_behind}
                """);
        DagRun run = harness.run("fork_exit");

        assertThat(harness.states(run)).containsEntry("t", TaskState.SUCCESS);
        assertThat(harness.log(run, "t", 1))
                .contains("forked from a warm interpreter")
                .contains("the thread finished")
                .contains("atexit ran");
    }

    @Test
    void withTheSwitchOffEveryTryIsAFreshInterpreter() throws Exception {
        try (EngineHarness off = EngineHarness.create(Map.of("GUST_PYTHON__FORK_SERVER", "false"))) {
            writeCallables(off);
            off.dag("fork_off.yaml", """
                    fork_off:
                      schedule: null
                      tasks:
                        t: {operator: python, python_callable: callables.probe.parent}
                    """);
            DagRun run = off.run("fork_off");

            assertThat(off.states(run)).containsEntry("t", TaskState.SUCCESS);
            assertThat(commandLine(xcom(off, run, "t").asLong())).doesNotContain(SERVER_SCRIPT);
            assertThat(off.log(run, "t", 1)).doesNotContain("forked");
        }
    }

    private static void writeCallables(EngineHarness target) throws IOException {
        Path folder = Files.createDirectories(target.dir().resolve("dags/callables"));
        Files.writeString(folder.resolve("marker.py"), """
                count = 0


                def bump():
                    global count
                    count += 1
                    return count
                """);
        Files.writeString(folder.resolve("probe.py"), """
                import os
                import signal
                import subprocess
                import sys
                import time


                def check():
                    loaded_before = "callables.marker" in sys.modules
                    from callables import marker

                    dags = os.path.dirname(os.path.dirname(os.path.abspath(marker.__file__)))
                    return {
                        "pid": os.getpid(),
                        "ppid": os.getppid(),
                        "marker_loaded_before": loaded_before,
                        "count": marker.bump(),
                        "own_session": os.getsid(0) == os.getpid() and os.getpgid(0) == os.getpid(),
                        "leaked": sorted(k for k in os.environ if k.startswith("GUST_") or "DATABASE" in k
                                         or "ENCRYPTION" in k or "SECRET" in k),
                        "dags_on_path": dags in sys.path,
                    }


                def parent():
                    return os.getppid()


                def leaves_work_behind():
                    import atexit
                    import threading

                    atexit.register(lambda: print("atexit ran", flush=True))

                    def later():
                        time.sleep(0.3)
                        print("the thread finished", flush=True)

                    threading.Thread(target=later).start()


                def hold(pid_file, go_file):
                    with open(pid_file + ".tmp", "w") as f:
                        f.write(str(os.getppid()))
                    os.rename(pid_file + ".tmp", pid_file)
                    print("holding", flush=True)
                    while not os.path.exists(go_file):
                        time.sleep(0.05)
                    return int(open(pid_file).read())


                def stubborn_with_child(pid_file):
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    child = subprocess.Popen(["sleep", "300"])
                    with open(pid_file, "w") as f:
                        f.write(str(os.getpid()) + "\\n" + str(child.pid) + "\\n")
                    print("ignoring SIGTERM", flush=True)
                    while True:
                        time.sleep(0.1)
                """);
    }

    private static long readPid(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String commandLine(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    private static JsonNode xcom(EngineHarness harness, DagRun run, String taskId) throws IOException {
        return JSON.readTree(harness.stores()
                .xcoms()
                .pull(run.dagId(), run.runId(), taskId, "return_value")
                .orElseThrow(() -> new AssertionError("no return value of " + taskId)));
    }
}
