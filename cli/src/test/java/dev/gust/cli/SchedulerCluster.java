package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * What the tests that kill real {@code gust scheduler} processes start from: a throwaway
 * PostgreSQL, the environment every process shares (an isolated home, the DAG folder, DAGs
 * unpaused at creation, one encryption key as in ECS, where an external database gets no
 * generated key), the schedulers started, stopped on {@link #close}, and a wait that shows their
 * output when it gives up.
 */
final class SchedulerCluster implements AutoCloseable {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final TestDatabase db;
    private final Map<String, String> env;
    private final List<GustProcess> processes = new ArrayList<>();

    private SchedulerCluster(TestDatabase db, Map<String, String> env) {
        this.db = db;
        this.env = env;
    }

    /** A database and the environment of processes with {@code home} and the DAGs of {@code dags}; the key from {@code random}. */
    static SchedulerCluster create(Path home, Path dags, Random random) {
        TestDatabase db = TestDatabase.create();
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false");
        byte[] key = new byte[32];
        random.nextBytes(key);
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
        return new SchedulerCluster(db, env);
    }

    TestDatabase db() {
        return db;
    }

    /** The processes' environment, to add settings to before they start. */
    Map<String, String> env() {
        return env;
    }

    /** {@code gust dags reserialize}: the DAG folder stored before any scheduler starts. */
    void reserialize() throws IOException, InterruptedException {
        GustProcess.Result reserialized = GustProcess.run(env, "dags", "reserialize");
        assertThat(reserialized.exitCode()).as(reserialized.all()).isZero();
    }

    /** A new {@code gust scheduler} process, stopped on {@link #close}. */
    GustProcess startScheduler() throws IOException {
        GustProcess scheduler = GustProcess.start(env, "scheduler");
        processes.add(scheduler);
        return scheduler;
    }

    /** Polls {@code condition} for up to 90 s; gives up with every process's output. */
    void await(String what, BooleanSupplier condition) throws Exception {
        Instant end = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                StringBuilder output = new StringBuilder();
                for (GustProcess p : processes) {
                    output.append(p.output()).append('\n');
                }
                throw new AssertionError("gave up waiting for " + what + "\n" + output);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        processes.forEach(GustProcess::close);
        db.close();
    }
}
