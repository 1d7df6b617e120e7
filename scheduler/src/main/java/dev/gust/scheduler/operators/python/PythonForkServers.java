package dev.gust.scheduler.operators.python;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fork servers of this process: one per interpreter and task environment (in a scheduler or
 * worker, that is one), started by the first try that needs it and started again by the first
 * try after it died (but not for a minute after it failed to start at all). The few least recently used are kept (a test JVM runs many schedulers, each
 * with its own DAG folder on the path); they all stop with the JVM, and on their own when it dies.
 */
final class PythonForkServers {

    private static final int KEPT = 4;

    /** After a server failed to start, tries go straight to fresh interpreters for this long. */
    private static final Duration RETRY_FAILED_START = Duration.ofSeconds(60);

    private record Key(Path interpreter, Path runtime, Map<String, String> environment) {}

    private static final Map<Key, PythonForkServer> SERVERS = new LinkedHashMap<>(8, 0.75f, true);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PythonForkServers::closeAll, "python-fork-servers-stop"));
    }

    private PythonForkServers() {}

    /** The live server for this interpreter and environment, started if there is none (or it died). */
    static PythonForkServer serverFor(Path interpreter, Path runtime, Map<String, String> environment)
            throws IOException {
        Key key = new Key(interpreter, runtime, Map.copyOf(environment));
        List<PythonForkServer> evicted = new ArrayList<>();
        PythonForkServer server;
        synchronized (SERVERS) {
            server = SERVERS.get(key);
            if (server != null
                    && server.failedToStart()
                    && server.startedAt().isAfter(Instant.now().minus(RETRY_FAILED_START))) {
                throw new IOException("it failed to start less than " + RETRY_FAILED_START.toSeconds()
                        + "s ago; Gust's log shows what it printed");
            }
            if (server == null || server.isDead()) {
                if (server != null) {
                    evicted.add(server);
                }
                server = PythonForkServer.start(interpreter, runtime, environment);
                SERVERS.put(key, server);
                while (SERVERS.size() > KEPT) {
                    var eldest = SERVERS.entrySet().iterator();
                    evicted.add(eldest.next().getValue());
                    eldest.remove();
                }
            }
        }
        evicted.forEach(PythonForkServer::close);
        return server;
    }

    private static void closeAll() {
        List<PythonForkServer> all;
        synchronized (SERVERS) {
            all = new ArrayList<>(SERVERS.values());
            SERVERS.clear();
        }
        all.forEach(PythonForkServer::close);
    }
}
