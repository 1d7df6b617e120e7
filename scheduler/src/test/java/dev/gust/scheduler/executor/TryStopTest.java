package dev.gust.scheduler.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A stop reaches the operator's thread and nothing else: the runner that asked for the operator
 * (and must still record its outcome over a database connection) is never interrupted.
 */
class TryStopTest {

    @Test
    void aStopAskedBeforeTheOperatorStartsKeepsItFromStarting() {
        TryStop stop = new TryStop();
        assertThat(stop.sinceRequest()).isEqualTo(Duration.ZERO);
        stop.request();
        assertThat(stop.attach(Thread.ofVirtual().unstarted(() -> {}))).isFalse();
        assertThat(stop.requested()).isTrue();
    }

    @Test
    void aStopInterruptsTheOperatorThreadOnlyNotTheRunnerWaitingForIt() throws Exception {
        TryStop stop = new TryStop();
        CountDownLatch operatorStarted = new CountDownLatch(1);
        AtomicBoolean operatorInterrupted = new AtomicBoolean();
        Thread operator = Thread.ofVirtual().unstarted(() -> {
            operatorStarted.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                operatorInterrupted.set(true);
            }
        });
        AtomicBoolean runnerInterrupted = new AtomicBoolean(true);
        Thread runner = Thread.ofVirtual().start(() -> {
            assertThat(stop.attach(operator)).isTrue();
            operator.start();
            try {
                operator.join();
            } catch (InterruptedException e) {
                return;
            }
            runnerInterrupted.set(Thread.currentThread().isInterrupted());
        });
        operatorStarted.await();
        stop.request();
        stop.request(); // a second request (the next heartbeat) changes nothing
        runner.join(Duration.ofSeconds(10));
        assertThat(operatorInterrupted).isTrue();
        assertThat(runnerInterrupted).as("the runner must not be interrupted").isFalse();
        assertThat(stop.sinceRequest()).isPositive();
    }
}
