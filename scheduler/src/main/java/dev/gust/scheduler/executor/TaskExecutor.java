package dev.gust.scheduler.executor;

import java.time.Duration;

/**
 * What the scheduler engine asks of an executor, local or ECS: claim queued work and start it,
 * keep what it started alive in the database (heartbeats) and notice what ended, stop in order.
 * Everything an executor learns it writes back as rows, so any scheduler can carry on from them.
 */
public interface TaskExecutor extends AutoCloseable {

    /** Claims as many queued task instances as it has room for and starts them; returns how many. */
    int claimAndStart();

    /** Heartbeats what it runs, notices tasks that ended or were changed elsewhere. */
    void heartbeat();

    /** Task instances this executor currently has in flight. */
    int runningCount();

    /** Stops for a scheduler shutdown within {@code grace}; returns how many tries had to be put back. */
    int stopGracefully(Duration grace) throws InterruptedException;

    @Override
    void close();
}
