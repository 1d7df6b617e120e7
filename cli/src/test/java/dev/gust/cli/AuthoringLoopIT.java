package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authoring loop of a DAG repository, as subprocesses of the built {@code gust}: {@code dags
 * test} and {@code tasks test} run the file as it is now (the stored copy only with
 * {@code --use-stored}), also on a database that never saw the folder; {@code dags list --local}
 * and {@code list-import-errors --local} need no database at all (the configured one is
 * unreachable) and exit 1 on an import error, as CI needs; {@code reserialize} exits 1 when a file
 * did not load; {@code list-import-errors} wraps to {@code COLUMNS} and {@code -o json} keeps
 * messages whole.
 */
class AuthoringLoopIT {

    private static final String VERSION_ONE = """
            edited:
              schedule: null
              tasks:
                first: {operator: bash, bash_command: "echo this is version one"}
            """;

    private static final String VERSION_TWO = """
            edited:
              schedule: null
              tasks:
                first: {operator: bash, bash_command: "echo this is version two"}
                second: {operator: bash, bash_command: "echo added by the edit", dependencies: [first]}
            """;

    private static final String LONG_KEY = "an_argument_that_bash_does_not_take_and_whose_name_is_long_enough_to_wrap";

    /** A file whose one DAG has an argument bash does not take, on line 7: a long import error message. */
    private static final String BROKEN = """
            broken:
              schedule: null
              tasks:
                only:
                  operator: bash
                  bash_command: "echo 1"
                  %s: 1
            """.formatted(LONG_KEY);

    private static final String CARELESS = """
            careless:
              schedule: null
              params: {name: world}
              tasks:
                hello: {operator: bash, bash_command: "echo hello {{ params.name }}"}
            """;

    @TempDir
    Path home;

    @TempDir
    Path dags;

    @Test
    void dagsTestAndTasksTestRunTheEditedFileAndUseStoredRunsTheSyncedCopy() throws Exception {
        Files.writeString(dags.resolve("edited.yaml"), VERSION_ONE);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        GustProcess.Result synced = GustProcess.run(env, "dags", "reserialize");
        assertThat(synced.exitCode()).as(synced.all()).isZero();

        Files.writeString(dags.resolve("edited.yaml"), VERSION_TWO);

        GustProcess.Result storedTask = GustProcess.run(env, "tasks", "test", "edited", "first", "--use-stored");
        assertThat(storedTask.exitCode()).as(storedTask.all()).isZero();
        assertThat(storedTask.stdout()).contains("this is version one").doesNotContain("version two");
        GustProcess.Result storedRun = GustProcess.run(env, "dags", "test", "edited", "2024-03-01", "--use-stored");
        assertThat(storedRun.exitCode()).as(storedRun.all()).isZero();
        assertThat(storedRun.stdout()).contains("first").doesNotContain("second");

        GustProcess.Result task = GustProcess.run(env, "tasks", "test", "edited", "first");
        assertThat(task.exitCode()).as(task.all()).isZero();
        assertThat(task.stdout()).contains("this is version two").doesNotContain("version one");
        GustProcess.Result added = GustProcess.run(env, "tasks", "test", "edited", "second");
        assertThat(added.exitCode()).as(added.all()).isZero();
        assertThat(added.stdout()).contains("added by the edit");
        GustProcess.Result run = GustProcess.run(env, "dags", "test", "edited", "2024-03-02");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout())
                .containsPattern("second +\\| success")
                .contains("run manual__2024-03-02T00:00:00+00:00: success");
        GustProcess.Result log =
                GustProcess.run(env, "tasks", "log", "edited", "first", "manual__2024-03-02T00:00:00+00:00");
        assertThat(log.stdout()).as(log.all()).contains("this is version two");
    }

    @Test
    void dagsTestWorksOnAFreshDatabaseAndABrokenFileStopsItBeforeTheDatabase() throws Exception {
        Files.writeString(dags.resolve("edited.yaml"), VERSION_TWO);
        Files.writeString(dags.resolve("broken.yaml"), BROKEN);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());

        GustProcess.Result run = GustProcess.run(env, "dags", "test", "edited", "2024-03-01");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).contains("run manual__2024-03-01T00:00:00+00:00: success");
        // stored as a sync stores a new DAG: paused, so that a scheduler does not start scheduling it
        GustProcess.Result listed = GustProcess.run(env, "dags", "list", "-o", "json");
        JsonNode rows = new ObjectMapper().readTree(listed.stdout());
        assertThat(rows).as(listed.all()).hasSize(1);
        assertThat(rows.get(0).get("dag_id").asText()).isEqualTo("edited");
        assertThat(rows.get(0).get("paused").asText()).isEqualTo("true");

        GustProcess.Result broken = GustProcess.run(env, "dags", "test", "broken", "2024-03-01");
        assertThat(broken.exitCode()).as(broken.all()).isEqualTo(1);
        assertThat(broken.stderr())
                .contains("broken.yaml:7:")
                .contains(LONG_KEY)
                .contains("'broken'")
                .contains("(import errors above)")
                .doesNotContain("started the embedded PostgreSQL");
        GustProcess.Result task = GustProcess.run(env, "tasks", "test", "broken", "only");
        assertThat(task.exitCode()).as(task.all()).isEqualTo(1);
        assertThat(task.stderr()).contains("broken.yaml:7:");

        GustProcess.Result missing = GustProcess.run(env, "tasks", "test", "edited", "third");
        assertThat(missing.exitCode()).as(missing.all()).isEqualTo(1);
        assertThat(missing.stderr()).contains("DAG 'edited' has no task 'third'; its tasks are first, second");
    }

    @Test
    void localListingsNeedNoDatabaseAndFailOnAnImportError() throws Exception {
        Files.writeString(dags.resolve("edited.yaml"), VERSION_TWO);
        Files.writeString(dags.resolve("careless.yaml"), CARELESS);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        // nothing listens there: a command that touched the database would fail
        env.put("GUST_DATABASE__URL", "jdbc:postgresql://127.0.0.1:" + GustProcess.freePort() + "/gust");
        env.put("GUST_DATABASE__CONNECT_TIMEOUT", "2s");
        GustProcess.Result viaDatabase = GustProcess.run(env, "dags", "list");
        assertThat(viaDatabase.exitCode()).as(viaDatabase.all()).isEqualTo(1);
        assertThat(viaDatabase.stderr()).contains("refused");

        GustProcess.Result clean = GustProcess.run(env, "dags", "list", "--local");
        assertThat(clean.exitCode()).as(clean.all()).isZero();
        assertThat(clean.stdout()).contains("careless").contains("edited.yaml").doesNotContain("paused");
        GustProcess.Result noErrors = GustProcess.run(env, "dags", "list-import-errors", "--local");
        assertThat(noErrors.exitCode()).as(noErrors.all()).isZero();
        assertThat(noErrors.stdout()).contains("no import errors").doesNotContain("careless");
        assertThat(noErrors.stderr()).contains("1 DAG warning").contains("--warnings lists them");
        GustProcess.Result warnings = GustProcess.run(env, "dags", "list-import-errors", "--local", "--warnings");
        assertThat(warnings.exitCode()).as(warnings.all()).isZero();
        assertThat(warnings.stdout())
                .contains("DAG warnings (1;")
                .contains("careless [unquoted shell interpolation]")
                .contains("{{ params.name }}");

        Files.writeString(dags.resolve("broken.yaml"), BROKEN);
        GustProcess.Result listed = GustProcess.run(env, "dags", "list", "--local", "-o", "json");
        assertThat(listed.exitCode()).as(listed.all()).isEqualTo(1);
        JsonNode rows = new ObjectMapper().readTree(listed.stdout());
        assertThat(rows).as(listed.all()).hasSize(2);
        assertThat(rows.get(0).get("dag_id").asText()).isEqualTo("careless");
        assertThat(listed.stderr())
                .contains("1 import error in 1 DAG file:")
                .contains("broken.yaml:7: ")
                .contains("task 'only'")
                .contains("'" + LONG_KEY + "' for operator 'bash'");
        GustProcess.Result errors = GustProcess.run(env, "dags", "list-import-errors", "--local");
        assertThat(errors.exitCode()).as(errors.all()).isEqualTo(1);
        assertThat(errors.stdout()).contains("broken.yaml").contains("for operator 'bash'");
    }

    @Test
    void reserializeFailsOnABrokenFileAndListImportErrorsWrapsToTheTerminal() throws Exception {
        Files.writeString(dags.resolve("edited.yaml"), VERSION_ONE);
        Files.writeString(dags.resolve("broken.yaml"), BROKEN);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());

        GustProcess.Result synced = GustProcess.run(env, "dags", "reserialize");
        assertThat(synced.exitCode()).as(synced.all()).isEqualTo(1);
        assertThat(synced.stdout()).contains("1 DAGs (1 tasks)").contains("1 import errors in 1 files");
        assertThat(synced.stderr()).contains("broken.yaml:7: ").contains(LONG_KEY);

        env.put("COLUMNS", "80");
        GustProcess.Result table = GustProcess.run(env, "dags", "list-import-errors");
        assertThat(table.exitCode()).as(table.all()).isEqualTo(1);
        assertThat(table.stdout().lines()).as(table.all()).hasSizeGreaterThan(3).allMatch(line -> line.length() <= 80);
        // wrapped, not cut: the end of the message is there
        assertThat(table.stdout()).contains("broken.yaml").contains("for operator 'bash'");

        GustProcess.Result json = GustProcess.run(env, "dags", "list-import-errors", "-o", "json");
        assertThat(json.exitCode()).as(json.all()).isEqualTo(1);
        JsonNode rows = new ObjectMapper().readTree(json.stdout());
        assertThat(rows).as(json.all()).hasSize(1);
        assertThat(rows.get(0).get("filepath").asText()).isEqualTo("broken.yaml");
        assertThat(rows.get(0).get("line").asText()).isEqualTo("7");
        assertThat(rows.get(0).get("error").asText())
                .contains("task 'only'")
                .contains("unknown argument '" + LONG_KEY + "' for operator 'bash'")
                .doesNotContain("\n");

        Files.delete(dags.resolve("broken.yaml"));
        GustProcess.Result fixed = GustProcess.run(env, "dags", "reserialize");
        assertThat(fixed.exitCode()).as(fixed.all()).isZero();
    }
}
