package dev.gust.scheduler.operators;

/**
 * Where a task's log lines go while it runs (the database, in chunks, secrets masked). Safe to
 * call from several threads, e.g. one reading a subprocess's stdout and one its stderr.
 */
public interface TaskLogWriter {

    void line(String text);

    default void info(String format, Object... args) {
        line(String.format(format, args));
    }
}
