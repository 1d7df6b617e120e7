package dev.gust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void buildsOnFirstUseOnlyAndOnceAcrossThreads() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        Lazy<Object> lazy = Lazy.of(() -> {
            builds.incrementAndGet();
            return new Object();
        });
        assertThat(builds).hasValue(0);

        CountDownLatch start = new CountDownLatch(1);
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(lazy.get());
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(builds).hasValue(1);
        assertThat(seen).hasSize(8).allSatisfy(value -> assertThat(value).isSameAs(lazy.get()));
    }

    @Test
    void aFailedBuildIsTriedAgainOnTheNextUse() {
        AtomicInteger attempts = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
            return "built";
        });
        assertThatThrownBy(lazy::get).hasMessage("not yet");
        assertThat(lazy.get()).isEqualTo("built");
    }
}
