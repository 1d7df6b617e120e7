package dev.gust.bench.engine;

import dev.gust.bench.BenchmarkException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A database yardstick's clients: {@code clients} platform threads, each running the same loop on
 * its own connection until the loop's deadline, joined before this returns. The first failure of
 * any client fails the measurement, named by {@code what}.
 */
final class JdbcClients {

    /** One client's loop; {@code client} numbers the clients from 0. */
    @FunctionalInterface
    interface Loop {
        void run(int client) throws SQLException;
    }

    private JdbcClients() {}

    static void run(int clients, String what, Loop loop) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    loop.run(client);
                } catch (SQLException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new BenchmarkException(what + " failed: " + failures.getFirst());
        }
    }
}
