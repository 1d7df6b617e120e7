package dev.gust.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another account on the same machine attacks the embedded PostgreSQL: it may not log in (no
 * trust, a password it cannot read), may not read Gust's home folder, and cannot reach the server
 * from another address. The attacks run as a real second OS user ({@code nobody}, through
 * {@code runuser}) with Debian's {@code psql} when the suite runs as root; otherwise those parts are
 * reported as skipped and the rest is still checked.
 */
class EmbeddedPostgresLocalUserTest {

    private static final String ATTACKER = "nobody";

    @TempDir
    Path temp;

    @Test
    void anotherLocalAccountCannotLogInReadTheHomeFolderOrReachTheServerFromOutside() throws Exception {
        Path home = openParent().resolve("home");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path oldLog = Files.writeString(home.resolve("scheduler.log"), "written by an earlier version");
        Files.setPosixFilePermissions(oldLog, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFiles.home(home);
        Path dataDir = home.resolve("postgres");
        try (Database database = Database.open(embeddedIn(dataDir))) {
            EmbeddedPostgresServer server = database.embeddedServer().orElseThrow();
            assertThat(database.check().reachable())
                    .as("Gust itself connects with the password")
                    .isTrue();

            assertPrivate(home, "rwx------");
            assertPrivate(oldLog, "rw-------");
            assertPrivate(home.resolve("postgres.password"), "rw-------");
            assertPrivate(home.resolve("postgres.log"), "rw-------");
            assertPrivate(home.resolve("postgres.lock"), "rw-------");
            assertPrivate(dataDir, "rwx------");
            assertThat(Files.readString(dataDir.resolve("pg_hba.conf")))
                    .doesNotContainPattern("(?m)^[^#]*\\btrust\\b")
                    .contains("scram-sha-256");
            assertListensOnLoopbackOnly(server.port());

            if (canActAsAnotherUser()) {
                assertAnotherUserCannotLogIn(server.port());
                assertAnotherUserCannotRead(home.resolve("postgres.password"));
                assertAnotherUserCannotRead(home.resolve("postgres.log"));
                assertAnotherUserCannotRead(oldLog);
            }
        }
    }

    @Test
    void aDataDirectoryFromAnEarlierVersionGetsAPasswordAndKeepsItsData() throws Exception {
        Path home = openParent().resolve("home");
        Files.createDirectories(home);
        Path dataDir = home.resolve("postgres");
        // What earlier versions made: zonky's initdb with "-A trust" and no password at all.
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                        .start();
                Connection connection = legacy.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (val text); INSERT INTO kept VALUES ('from before')");
        }
        assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).containsPattern("(?m)^host.*trust");
        assertThat(home.resolve("postgres.password")).doesNotExist();

        try (Database database = Database.open(embeddedIn(dataDir))) {
            assertThat(database.jdbc().queryOne("SELECT val FROM kept", Params.none(), row -> row.getString(1)))
                    .contains("from before");
            assertPrivate(home.resolve("postgres.password"), "rw-------");
            assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).isEqualTo(EmbeddedPostgresServer.PG_HBA);
            if (canActAsAnotherUser()) {
                assertAnotherUserCannotLogIn(
                        database.embeddedServer().orElseThrow().port());
            }
        }
        // and the next start reuses the password
        String password = Files.readString(home.resolve("postgres.password"));
        try (Database database = Database.open(embeddedIn(dataDir))) {
            assertThat(database.check().reachable()).isTrue();
        }
        assertThat(Files.readString(home.resolve("postgres.password"))).isEqualTo(password);
    }

    /** A folder every account may enter, so that only Gust's own modes keep the attacker out. */
    private Path openParent() throws Exception {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        return temp;
    }

    private static void assertPrivate(Path path, String mode) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                .as(path.toString())
                .isEqualTo(mode);
    }

    /** Every listening TCP socket on the port is bound to 127.0.0.1, and there is no Unix socket in /tmp. */
    private static void assertListensOnLoopbackOnly(int port) throws Exception {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.exists(tcp)) {
            System.err.println("SKIPPED: the listening-address check needs Linux's /proc/net/tcp");
            return;
        }
        String hexPort = String.format(":%04X", port);
        List<String> listening = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(file))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) {
                    listening.add(fields[1]);
                }
            }
        }
        assertThat(listening).as("listening sockets on port " + port).containsExactly("0100007F" + hexPort);
        assertThat(Path.of("/tmp/.s.PGSQL." + port)).doesNotExist();
    }

    /** psql as another account, with no password and with a wrong one, is refused. */
    private static void assertAnotherUserCannotLogIn(int port) throws Exception {
        String attack = "COPY (SELECT 1) TO PROGRAM 'id'";
        Result noPassword = psqlAsPostgres(List.of(), port, attack, "-w");
        assertThat(noPassword.exitCode())
                .as("psql without a password: " + noPassword.output())
                .isNotZero();
        assertThat(noPassword.output()).contains("password");
        Result wrongPassword = psqlAsPostgres(List.of("PGPASSWORD=guess"), port, attack);
        assertThat(wrongPassword.exitCode())
                .as("psql with a wrong password: " + wrongPassword.output())
                .isNotZero();
        assertThat(wrongPassword.output()).contains("password authentication failed");
    }

    /** The attacker's psql, logging in over TCP as {@code postgres} to run {@code sql}. */
    private static Result psqlAsPostgres(List<String> env, int port, String sql, String... moreOptions)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres", "-c", sql));
        command.addAll(List.of(moreOptions));
        return asAttacker(env, command.toArray(String[]::new));
    }

    private static void assertAnotherUserCannotRead(Path file) throws Exception {
        Result read = asAttacker(List.of(), "cat", file.toString());
        assertThat(read.exitCode())
                .as(ATTACKER + " reading " + file + ": " + read.output())
                .isNotZero();
        assertThat(read.output()).contains("Permission denied");
    }

    /**
     * Whether the attacks as another account can run: only as root (to switch to {@code nobody}).
     * As root, a missing tool is a failure that says what to install, never a silent pass.
     */
    private static boolean canActAsAnotherUser() throws Exception {
        if (!System.getProperty("user.name").equals("root")) {
            System.err.println(
                    "SKIPPED: the attacks as a second OS user (psql as '" + ATTACKER + "', reading Gust's files)"
                            + " need the suite to run as root to switch users; the modes, pg_hba.conf and listening address were"
                            + " still checked");
            return false;
        }
        assertThat(new File("/usr/sbin/runuser").canExecute() || new File("/sbin/runuser").canExecute())
                .as("runuser (util-linux) is needed to act as another account")
                .isTrue();
        assertThat(new ProcessBuilder("sh", "-c", "command -v psql").start().waitFor())
                .as("psql is needed: apt-get install postgresql-client (scripts/install-test-deps.sh)")
                .isZero();
        return true;
    }

    private static Result asAttacker(List<String> env, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", ATTACKER, "--", "env"));
        argv.addAll(env);
        argv.addAll(List.of(command));
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .directory(new File("/"))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {}

    private static DatabaseSettings embeddedIn(Path dataDir) {
        return new DatabaseSettings(null, null, null, 2, 5, dataDir, 0);
    }
}
