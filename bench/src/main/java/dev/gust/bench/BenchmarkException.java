package dev.gust.bench;

/** A benchmark cannot run, for a reason the user can fix (a missing tool, say); the message says how. */
public final class BenchmarkException extends RuntimeException {

    public BenchmarkException(String message) {
        super(message);
    }
}
