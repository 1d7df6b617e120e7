package dev.gust.cli.servers;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Blocks the calling thread until SIGTERM (what ECS sends) or SIGINT (Ctrl+C) arrives, so that a
 * long-running command stops its parts in order on that thread and returns, and the process exits
 * 0. Handling the signals ourselves, instead of in a JVM shutdown hook, matters: shutdown hooks run
 * all at once, and the embedded PostgreSQL's own hook would stop the database while Gust is still
 * writing to it.
 */
public final class ShutdownSignal {

    private ShutdownSignal() {}

    public static void await() {
        CountDownLatch stopped = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> stopped.countDown());
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
