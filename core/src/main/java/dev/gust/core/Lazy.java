package dev.gust.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built on first use and then kept, safely across threads: for what is costly to build
 * and not needed by every process (a process's start-up is what pays for eager building).
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> build;
    private volatile T value;

    private Lazy(Supplier<T> build) {
        this.build = build;
    }

    public static <T> Lazy<T> of(Supplier<T> build) {
        return new Lazy<>(Objects.requireNonNull(build, "build"));
    }

    @Override
    public T get() {
        T built = value;
        if (built == null) {
            synchronized (this) {
                built = value;
                if (built == null) {
                    built = Objects.requireNonNull(build.get(), "a Lazy value may not be null");
                    value = built;
                }
            }
        }
        return built;
    }
}
