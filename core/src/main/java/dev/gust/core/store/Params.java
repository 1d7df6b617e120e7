package dev.gust.core.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of a statement's named parameters. Unlike {@link Map#of}, it accepts nulls,
 * which SQL needs for optional columns.
 */
public final class Params {

    private final Map<String, Object> values = new LinkedHashMap<>();

    private Params() {}

    public static Params none() {
        return new Params();
    }

    public static Params of(String name, Object value) {
        return new Params().and(name, value);
    }

    public Params and(String name, Object value) {
        values.put(name, value);
        return this;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object get(String name) {
        return values.get(name);
    }
}
