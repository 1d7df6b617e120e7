package dev.gust.scheduler.operators.python;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The interpreter running one try of a Python task, however it was started (a fresh process,
 * or a child of the {@link PythonForkServer}): its task channel, what it prints, its end, and a
 * way to kill its whole process group.
 */
interface PythonTry extends AutoCloseable {

    long pid();

    /** What the task prints, stdout and stderr together. */
    InputStream output();

    /** The channel's requests and the result, one JSON object a line. */
    InputStream fromTask();

    /** The channel's answers to the task. */
    OutputStream toTask();

    /** Waits for the interpreter to end and returns its exit code (-1 when nobody could tell). */
    int waitFor() throws InterruptedException;

    /** SIGTERM to the process group, then SIGKILL after a grace period. */
    void kill();

    /** Releases the channel and output; the process is not touched. */
    @Override
    void close();
}
