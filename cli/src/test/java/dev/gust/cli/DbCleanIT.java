package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.store.cleanup.CleanedTables;
import dev.gust.core.store.cleanup.CleanupFixture;
import dev.gust.core.store.cleanup.MetadataCleanup;
import dev.gust.core.testing.TestDatabase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gust db clean} and {@code gust db drop-archived} as a user runs them against a database
 * with a month and ten days of history ({@link CleanupFixture}): the dry run counts and changes
 * nothing, the question must be answered, {@code --tables} limits, the archive can be dropped.
 */
class DbCleanIT {

    @TempDir
    Path home;

    TestDatabase db;
    Map<String, String> env;

    @BeforeEach
    void database() {
        db = TestDatabase.create();
        CleanupFixture.load(db.jdbc());
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void aDryRunCountsAndTheQuestionGuardsTheRealClean() throws Exception {
        Map<String, Long> sizes = sizes();
        GustProcess.Result dryRun =
                GustProcess.run(env, "db", "clean", "--clean-before-timestamp", "2026-01-31", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.all()).isZero();
        MetadataCleanup cleanup = new MetadataCleanup(db.jdbc());
        for (var table : CleanedTables.all()) {
            assertThat(dryRun.stdout())
                    .as(dryRun.all())
                    .containsPattern("(?m)^  " + table.name() + " +"
                            + String.format("%,d", cleanup.count(table, CleanupFixture.BEFORE)) + "$");
        }
        assertThat(dryRun.stdout()).contains("Nothing was deleted.");
        assertThat(sizes()).isEqualTo(sizes);

        GustProcess.Result refused = answer("no thanks", "db", "clean", "--clean-before-timestamp", "2026-01-31");
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
        assertThat(refused.stdout()).contains("Enter 'delete rows' (without quotes) to proceed.");
        assertThat(refused.stderr())
                .contains("not confirmed; nothing was deleted")
                .doesNotContain("Exception");
        assertThat(sizes()).isEqualTo(sizes);

        GustProcess.Result cleaned =
                answer("delete rows", "db", "clean", "--clean-before-timestamp", "2026-01-31", "--batch-size", "20");
        assertThat(cleaned.exitCode()).as(cleaned.all()).isZero();
        assertThat(cleaned.stdout())
                .as(cleaned.all())
                .contains("task_instance batch 1: 20 rows in ", "dag_run: 42 rows to purge into _gust_archive_dag_run_")
                .containsPattern("(?m)^dag_run +42 +42  _gust_archive_dag_run_\\d{14}$");
        assertThat(sizes().get("dag_run")).isEqualTo(13);

        GustProcess.Result drop = GustProcess.run(env, "db", "drop-archived", "--tables", "log,dag_run", "--yes");
        assertThat(drop.exitCode()).as(drop.all()).isZero();
        assertThat(drop.stdout())
                .containsPattern("(?m)^dropped _gust_archive_dag_run_\\d{14} \\(42 rows\\)$")
                .contains("Dropped 2 archive tables.");
        assertThat(new MetadataCleanup(db.jdbc()).archiveTables(java.util.List.of()))
                .hasSize(9)
                .noneMatch(name -> name.startsWith("_gust_archive_dag_run_"));
    }

    @Test
    void tablesLimitTheCleanAndABadTableIsAUsageError() throws Exception {
        Map<String, Long> sizes = sizes();
        GustProcess.Result logOnly = GustProcess.run(
                env,
                "db",
                "clean",
                "--clean-before-timestamp",
                "2026-01-31",
                "--tables",
                "log",
                "--yes",
                "--skip-archive");
        assertThat(logOnly.exitCode()).as(logOnly.all()).isZero();
        assertThat(logOnly.stdout()).contains("log: 30 rows to purge\n", "Purged 30 rows.");
        Map<String, Long> after = sizes();
        assertThat(after.remove("log")).isEqualTo(10);
        sizes.remove("log");
        assertThat(after).isEqualTo(sizes);
        assertThat(new MetadataCleanup(db.jdbc()).archiveTables(java.util.List.of()))
                .isEmpty();

        GustProcess.Result bad = GustProcess.run(
                env, "db", "clean", "--clean-before-timestamp", "2026-01-31", "--tables", "dag", "--yes");
        assertThat(bad.exitCode()).as(bad.all()).isEqualTo(2);
        assertThat(bad.stderr())
                .contains("--tables: unknown table 'dag'; choose among xcom,")
                .doesNotContain("at dev.");
    }

    /**
     * The example maintenance DAG is loaded paused and, run for a day, purges what is older than
     * 30 days before it through the real {@code gust} on the task's PATH, the database URL passed
     * through to the task as its comments say.
     */
    @Test
    void theExampleMaintenanceDagPurgesWhatIsOlderThanThirtyDays() throws Exception {
        GustProcess.Result loaded = GustProcess.run(env, "dags", "reserialize");
        assertThat(loaded.exitCode()).as(loaded.all()).isZero();
        assertThat(db.jdbc()
                        .queryOne(
                                "SELECT is_paused FROM dag WHERE dag_id = 'example_db_cleanup'",
                                Params.none(),
                                row -> row.getBoolean("is_paused"))
                        .orElseThrow())
                .isTrue();

        // The distribution's launcher as `gust` on the PATH (the image puts it at /opt/gust/bin/gust).
        Path bin = java.nio.file.Files.createDirectories(home.resolve("bin"));
        java.nio.file.Files.writeString(
                bin.resolve("gust"),
                "#!/bin/sh\nJAVA_HOME=" + System.getProperty("java.home") + " exec sh "
                        + GustProcess.REPO_ROOT.resolve("cli/target/gust/bin/gust") + " \"$@\"\n");
        assertThat(bin.resolve("gust").toFile().setExecutable(true)).isTrue();
        env.put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        env.put("GUST_CORE__TASK_ENVIRONMENT_PASSTHROUGH", "GUST_DATABASE__URL");
        env.put("GUST_SECURITY__ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        GustProcess.Result run = GustProcess.run(env, "dags", "test", "example_db_cleanup", "2026-03-02");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).as(run.all()).contains("db_clean").doesNotContain("failed");
        assertThat(db.jdbc()
                        .query(
                                "SELECT run_id FROM dag_run WHERE dag_id IN ('daily', 'stale', 'busy')",
                                Params.none(),
                                row -> row.getString("run_id")))
                .hasSize(13)
                .contains("scheduled__30", "scheduled__9", "scheduled__3")
                .doesNotContain("scheduled__29");
        assertThat(new MetadataCleanup(db.jdbc()).archiveTables(java.util.List.of("dag_run")))
                .hasSize(1);
    }

    private GustProcess.Result answer(String line, String... args) throws Exception {
        try (GustProcess gust = GustProcess.start(env, args)) {
            try (OutputStream stdin = gust.process().getOutputStream()) {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!gust.process().waitFor(2, TimeUnit.MINUTES)) {
                throw new AssertionError("gust did not finish:\n" + gust.output());
            }
            return new GustProcess.Result(gust.process().exitValue(), gust.stdout(), gust.stderr());
        }
    }

    private Map<String, Long> sizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String table : CleanupFixture.TABLES) {
            sizes.put(
                    table,
                    db.jdbc()
                            .queryOne("SELECT count(*) AS n FROM " + table, Params.none(), row -> row.getLong("n"))
                            .orElseThrow());
        }
        return sizes;
    }
}
