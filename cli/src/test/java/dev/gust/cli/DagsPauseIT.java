package dev.gust.cli;

import static dev.gust.cli.IsolatedGustIT.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gust dags pause|unpause} as users run them: the flag flips; {@link DagsPauseCommandsTest} checks the audit event. */
class DagsPauseIT {

    @TempDir
    Path home;

    @Test
    void pauseAndUnpauseFlipTheFlagAndAreAudited() throws Exception {
        Path dags = Files.createDirectories(home.resolve("dags"));
        Files.writeString(dags.resolve("my_dag.yaml"), """
                my_dag:
                  schedule: "@daily"
                  default_args: {start_date: 2024-01-01}
                  tasks:
                    a: {operator: bash, bash_command: "echo hi"}
                """);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        GustProcess.Result reserialized = GustProcess.run(env, "dags", "reserialize");
        assertThat(reserialized.exitCode()).as(reserialized.all()).isZero();

        GustProcess.Result unpaused = GustProcess.run(env, "dags", "unpause", "my_dag");
        assertThat(unpaused.exitCode()).as(unpaused.all()).isZero();
        assertThat(unpaused.stdout().strip()).isEqualTo("Dag my_dag paused: false");
        GustProcess.Result listed = GustProcess.run(env, "dags", "list", "-o", "json");
        assertThat(new ObjectMapper()
                        .readTree(listed.stdout())
                        .get(0)
                        .get("paused")
                        .asText())
                .as(listed.all())
                .isEqualTo("false");

        GustProcess.Result paused = GustProcess.run(env, "dags", "pause", "my_dag");
        assertThat(paused.stdout().strip()).as(paused.all()).isEqualTo("Dag my_dag paused: true");

        assertOneLineError(
                GustProcess.run(env, "dags", "pause", "no_such_dag"),
                "no DAG 'no_such_dag' in the metadata database; 'gust dags list'");
    }
}
