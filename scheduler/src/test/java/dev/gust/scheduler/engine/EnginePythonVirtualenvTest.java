package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PythonVirtualenvOperator and {@code @task.virtualenv} run by the engine with a real
 * {@code python3}, {@code -m venv} and pip, installing only a wheel built here (no package index
 * is reachable: {@code --no-index --find-links}): the callable imports the wheel's package in a
 * venv of its own; two tasks asking for the same venv at the same time make it once, and a
 * second run reuses it; a failed pip install fails the task with pip's last lines and leaves
 * nothing in the cache; a python_version no interpreter has is refused in one line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EnginePythonVirtualenvTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    Path wheels;

    @BeforeAll
    static void pythonIsInstalled() {
        EngineHarness.requirePython("python3 python3-venv");
    }

    @BeforeEach
    void callablesAndAWheel() throws Exception {
        harness.dagFolderFile("callables/venv_tasks.py", """
                import sys


                def uses_the_wheel(suffix):
                    import gust_tiny
                    return {"value": gust_tiny.VALUE + suffix, "in_venv": sys.prefix != sys.base_prefix,
                            "prefix": sys.prefix}


                def plain():
                    return "no wheel needed"
                """);
        harness.dagFolderFile("venv-requirements.txt", "gust-tiny==1.0\n");
        wheels = Files.createDirectories(harness.dir().resolve("wheels"));
        tinyWheel(wheels);
    }

    /** A pure-Python wheel, gust-tiny 1.0 with the package gust_tiny, built as pip reads one: a zip. */
    private static void tinyWheel(Path dir) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("gust_tiny/__init__.py", "VALUE = 'from the wheel'\n");
        files.put("gust_tiny-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: gust-tiny\nVersion: 1.0\n");
        files.put(
                "gust_tiny-1.0.dist-info/WHEEL",
                "Wheel-Version: 1.0\nGenerator: gust-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        for (var file : files.entrySet()) {
            byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
            String hash = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
            record.append(file.getKey())
                    .append(",sha256=")
                    .append(hash)
                    .append(',')
                    .append(bytes.length)
                    .append('\n');
        }
        record.append("gust_tiny-1.0.dist-info/RECORD,,\n");
        files.put("gust_tiny-1.0.dist-info/RECORD", record.toString());
        try (OutputStream out = Files.newOutputStream(dir.resolve("gust_tiny-1.0-py3-none-any.whl"));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    private Path venvCache() {
        return harness.config().core().home().resolve("python/venvs");
    }

    /** The venv folders in the cache (not the lock files beside them). */
    private List<Path> cachedVenvs() throws IOException {
        if (!Files.isDirectory(venvCache())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(venvCache())) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    @Test
    void twoTasksAskingForTheSameVenvAtOnceMakeItOnceAndTheCallableImportsTheWheel() throws Exception {
        harness.dag("venv_ok.yaml", """
                venv_ok:
                  schedule: null
                  tasks:
                    by_operator:
                      operator: airflow.operators.python.PythonVirtualenvOperator
                      python_callable: callables.venv_tasks.uses_the_wheel
                      op_args: [' (operator)']
                      requirements: [gust-tiny==1.0]
                      system_site_packages: false
                      pip_install_options: [--no-index, --find-links, '%1$s']
                    by_decorator:
                      decorator: airflow.decorators.task.virtualenv
                      python_callable: callables.venv_tasks.uses_the_wheel
                      suffix: ' (decorator)'
                      requirements: venv-requirements.txt
                      system_site_packages: false
                      pip_install_options: [--no-index, --find-links, '%1$s']
                      multiple_outputs: true
                """.formatted(wheels));

        DagRun run = harness.run("venv_ok");

        assertThat(harness.states(run))
                .containsOnly(
                        Map.entry("by_operator", TaskState.SUCCESS), Map.entry("by_decorator", TaskState.SUCCESS));
        assertThat(cachedVenvs())
                .as("one venv for the same requirements, made once")
                .hasSize(1);
        Path venv = cachedVenvs().getFirst();
        String operatorLog = harness.log(run, "by_operator", 1);
        String decoratorLog = harness.log(run, "by_decorator", 1);
        assertThat(List.of(operatorLog, decoratorLog))
                .filteredOn(log -> log.contains("Creating the virtualenv"))
                .as("exactly one of the two tasks made the venv")
                .hasSize(1);
        assertThat(List.of(operatorLog, decoratorLog))
                .filteredOn(log -> log.contains("Using the cached virtualenv " + venv))
                .hasSize(1);
        assertThat(operatorLog + decoratorLog).contains("Successfully installed gust-tiny-1.0");
        assertThat(harness.stores().xcoms().pull("venv_ok", run.runId(), "by_operator", "return_value"))
                .hasValueSatisfying(json -> assertThat(json)
                        .contains("\"value\": \"from the wheel (operator)\"")
                        .contains("\"in_venv\": true")
                        .contains("\"prefix\": \"" + venv + "\""));
        assertThat(harness.stores().xcoms().pull("venv_ok", run.runId(), "by_decorator", "value"))
                .contains("\"from the wheel (decorator)\"");

        DagRun again = harness.run("venv_ok");
        assertThat(harness.states(again)).containsValue(TaskState.SUCCESS).doesNotContainValue(TaskState.FAILED);
        assertThat(harness.log(again, "by_operator", 1))
                .contains("Using the cached virtualenv " + venv)
                .doesNotContain("Creating the virtualenv");
        assertThat(cachedVenvs()).hasSize(1);
    }

    @Test
    void aFailedPipInstallFailsTheTaskWithPipsLastLinesAndLeavesNoVenv() throws Exception {
        harness.dag("venv_bad.yaml", """
                venv_bad:
                  schedule: null
                  tasks:
                    missing_package:
                      operator: python_virtualenv
                      python_callable: callables.venv_tasks.plain
                      requirements: [gust-not-built-here==9.9]
                      pip_install_options: [--no-index, --find-links, '%s']
                    old_python:
                      operator: python_virtualenv
                      python_callable: callables.venv_tasks.plain
                      python_version: '2.7'
                """.formatted(wheels));

        DagRun run = harness.run("venv_bad");

        assertThat(harness.states(run))
                .containsEntry("missing_package", TaskState.FAILED)
                .containsEntry("old_python", TaskState.FAILED);
        assertThat(harness.log(run, "missing_package", 1))
                .contains("pip install failed (exit code 1), so the virtualenv was not made; its last lines:")
                .contains("No matching distribution found for gust-not-built-here==9.9");
        assertThat(cachedVenvs()).as("no half venv is left in the cache").isEmpty();
        assertThat(harness.log(run, "old_python", 1))
                .contains("python_version '2.7' matches no interpreter here (")
                .contains("is Python 3.")
                .contains("install Python 2.7, point python.interpreter at it, or drop python_version");
    }
}
