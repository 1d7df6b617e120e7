package dev.gust.scheduler.executor;

import java.time.Duration;

/**
 * The request to stop one running try (cleared, marked or timed out elsewhere; the process shutting
 * down). It interrupts only the thread that runs the operator, never the runner: the runner still
 * reads and writes the database (rendering before the operator, recording the outcome after it), and
 * an interrupt that lands in a virtual thread's socket read closes its database connection, which
 * lost outcomes to the zombie sweep under load.
 */
final class TryStop {

    private Thread operatorThread;
    private long requestedAtNanos;
    private boolean requested;

    /** Asks the try to stop: interrupts its operator if it runs, or keeps it from starting. */
    synchronized void request() {
        if (requested) {
            return;
        }
        requested = true;
        requestedAtNanos = System.nanoTime();
        if (operatorThread != null) {
            operatorThread.interrupt();
        }
    }

    synchronized boolean requested() {
        return requested;
    }

    /** How long ago the stop was asked for; zero when it was not. */
    synchronized Duration sinceRequest() {
        return requested ? Duration.ofNanos(System.nanoTime() - requestedAtNanos) : Duration.ZERO;
    }

    /**
     * Names the thread that will run the operator, before it starts; false when a stop was already
     * asked for, and then the operator must not start at all.
     */
    synchronized boolean attach(Thread operator) {
        if (requested) {
            return false;
        }
        operatorThread = operator;
        return true;
    }
}
