package dev.gust.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server shared between real processes, including one killed with SIGKILL. */
class EmbeddedPostgresServerProcessTest {

    @TempDir
    Path home;

    @Test
    void aServerOrphanedByAKilledProcessIsReusedByTheNextOne() throws Exception {
        Path dataDir = home.resolve("postgres");
        Process owner = startGustLikeProcess(dataDir);
        try {
            String line = firstLine(owner);
            assertThat(line).startsWith("port=").endsWith("started=true");
            int port = Integer.parseInt(line.substring("port=".length(), line.indexOf(' ')));

            try (Database database = Database.open(new DatabaseSettings(null, null, null, 2, 5, dataDir, 0))) {
                assertThat(database.url()).endsWith(":" + port + "/postgres");
                database.migrate();
                database.jdbc().update("INSERT INTO variable (key, val) VALUES ('k', 'v')", Params.none());
            }

            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            try (EmbeddedPostgresServer next = EmbeddedPostgresServer.startOrAttach(dataDir, 0);
                    Database database = Database.open(new DatabaseSettings(null, null, null, 2, 5, dataDir, 0))) {
                assertThat(next.startedByThisProcess()).isFalse();
                assertThat(next.port()).isEqualTo(port);
                assertThat(database.jdbc()
                                .queryOne(
                                        "SELECT val FROM variable WHERE key = 'k'",
                                        Params.none(),
                                        row -> row.getString(1)))
                        .contains("v");
            }
        } finally {
            owner.destroyForcibly();
            stopOrphan(dataDir);
        }
    }

    private static Process startGustLikeProcess(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        EmbeddedServerProcess.class.getName(),
                        dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port=")) {
                return line;
            }
        }
        throw new AssertionError("the child process exited with " + process.waitFor());
    }

    /** The killed process cannot stop its server; a fast shutdown (SIGINT) stops it here. */
    private static void stopOrphan(Path dataDir) throws Exception {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid = Long.parseLong(lines.getFirst().trim());
        new ProcessBuilder("kill", "-INT", String.valueOf(pid)).start().waitFor();
        ProcessHandle.of(pid)
                .ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    }
}
