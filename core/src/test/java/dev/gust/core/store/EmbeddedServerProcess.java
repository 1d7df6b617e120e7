package dev.gust.core.store;

import java.nio.file.Path;

/**
 * A stand-in for another Gust process on the same machine: starts or attaches to the embedded
 * server on the data directory given as argument, prints "port=N started=B" and waits.
 */
public final class EmbeddedServerProcess {

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrAttach(Path.of(args[0]), 0);
        System.out.println("port=" + server.port() + " started=" + server.startedByThisProcess());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private EmbeddedServerProcess() {}
}
