package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code gust} command as users run it: through the root launcher, as a subprocess. */
class CommandLineIT {

    @TempDir
    Path home;

    @Test
    void helpListsTheSubcommandsAndEachHasItsOwnHelp() throws Exception {
        GustProcess.Result help = GustProcess.run(GustProcess.isolatedEnvironment(home), "--help");
        assertThat(help.exitCode()).as(help.all()).isZero();
        assertThat(help.stdout()).contains("config", "db", "dags", "standalone");

        GustProcess.Result dagsHelp = GustProcess.run(GustProcess.isolatedEnvironment(home), "dags", "--help");
        assertThat(dagsHelp.exitCode()).as(dagsHelp.all()).isZero();
        assertThat(dagsHelp.stdout()).contains("list", "list-import-errors", "show", "reserialize");
    }

    @Test
    void aWrongFlagIsOneLineWithAHint() throws Exception {
        GustProcess.Result result =
                GustProcess.run(GustProcess.isolatedEnvironment(home), "dags", "list", "--outptu", "json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr())
                .contains("error: Unknown options: '--outptu'")
                .contains("Possible solutions: --output")
                .contains("Try 'gust dags list --help'");
        assertThat(result.stderr()).doesNotContain("Exception");
    }

    @Test
    void aBadConfigValueStopsStartUpNamingTheKey() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__PARALLELISM", "many");
        GustProcess.Result result = GustProcess.run(env, "config", "list");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().strip())
                .isEqualTo(
                        "error: config key core.parallelism (GUST_CORE__PARALLELISM): value 'many' is not a whole number");
    }

    @Test
    void configListMasksSecrets() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__PASSWORD", "hunter2-secret");
        GustProcess.Result result = GustProcess.run(env, "config", "list", "-o", "json");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stdout()).contains("\"key\" : \"database.password\"").doesNotContain("hunter2-secret");
    }

    @Test
    void anUnreachableDatabaseIsOneClearLine() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", "jdbc:postgresql://127.0.0.1:" + GustProcess.freePort() + "/gust");
        env.put("GUST_DATABASE__CONNECT_TIMEOUT", "2s");
        GustProcess.Result result = GustProcess.run(env, "db", "check");
        assertThat(result.exitCode()).as(result.all()).isNotZero();
        assertThat(result.stderr().strip().lines()).as(result.all()).hasSize(1);
        assertThat(result.stderr()).contains("127.0.0.1").contains("refused").doesNotContain("Exception");
    }
}
