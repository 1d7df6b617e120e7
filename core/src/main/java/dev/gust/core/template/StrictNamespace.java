package dev.gust.core.template;

import com.hubspot.jinjava.objects.PyWrapper;
import dev.gust.core.text.NameSuggester;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A map seen by templates ({@code params}, {@code dag}, {@code var.value}, {@code conn.x}) that
 * reports a missing key as a problem instead of yielding an empty string, which is how Gust is
 * strict about undefined names. {@code .get('k', fallback)} stays lenient, like Python's
 * {@code dict.get}. It is a {@link PyWrapper} so that Jinjava does not wrap it into its own
 * lenient map. Nested maps are made strict too, on access.
 */
final class StrictNamespace extends AbstractMap<String, Object> implements PyWrapper {

    static final Object MISSING = new Object();

    // Jinjava asks the map for a method's name before calling the method on the object
    private static final Set<String> OWN_METHODS = Set.of("get", "items", "keys", "values");

    private final String name;
    private final Map<String, Object> entries;
    private final Function<String, Object> lookup;
    private final Function<String, String> missingMessage;
    private final RenderProblems problems;
    private final Map<String, Object> looked = new HashMap<>();

    private StrictNamespace(
            String name,
            Map<String, ?> entries,
            Function<String, Object> lookup,
            Function<String, String> missingMessage,
            RenderProblems problems) {
        this.name = name;
        this.entries = new LinkedHashMap<>();
        entries.forEach((k, v) -> this.entries.put(k, v));
        this.lookup = lookup;
        this.missingMessage = missingMessage;
        this.problems = problems;
    }

    /** A fixed set of entries; a missing key is reported with a "did you mean" hint. */
    static StrictNamespace of(String name, Map<String, ?> entries, RenderProblems problems) {
        return new StrictNamespace(
                name,
                entries,
                null,
                key -> "'" + name + "' has no '" + key + "'" + NameSuggester.hint(key, entries.keySet()),
                problems);
    }

    /**
     * Entries found by {@code lookup} (which answers {@link #MISSING} when there is none), each
     * looked up once per render.
     */
    static StrictNamespace lookup(
            String name,
            Function<String, Object> lookup,
            Function<String, String> missingMessage,
            RenderProblems problems) {
        return new StrictNamespace(name, Map.of(), lookup, missingMessage, problems);
    }

    @Override
    public Object get(Object key) {
        String k = String.valueOf(key);
        Object value = resolve(k);
        if (value == MISSING) {
            if (!OWN_METHODS.contains(k)) {
                problems.report(missingMessage.apply(k));
            }
            return null;
        }
        return value;
    }

    /** Python's {@code dict.get(key, default)}: no problem when the key is missing. */
    public Object get(String key, Object fallback) {
        Object value = resolve(key);
        return value == MISSING ? fallback : value;
    }

    @Override
    public Object getOrDefault(Object key, Object fallback) {
        return get(String.valueOf(key), fallback);
    }

    @Override
    public boolean containsKey(Object key) {
        return resolve(String.valueOf(key)) != MISSING;
    }

    public Set<Entry<String, Object>> items() {
        return entrySet();
    }

    public Set<String> keys() {
        return keySet();
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> strict = new LinkedHashMap<>();
        entries.forEach((k, v) -> strict.put(k, strict(name + "." + k, v, problems)));
        return strict.entrySet();
    }

    private Object resolve(String key) {
        if (entries.containsKey(key)) {
            return strict(name + "." + key, entries.get(key), problems);
        }
        if (lookup == null) {
            return MISSING;
        }
        return looked.computeIfAbsent(key, k -> {
            Object found = lookup.apply(k);
            return found == MISSING ? MISSING : strict(name + "." + k, found, problems);
        });
    }

    @SuppressWarnings("unchecked")
    static Object strict(String name, Object value, RenderProblems problems) {
        return switch (value) {
            case StrictNamespace namespace -> namespace;
            case Map<?, ?> map -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                map.forEach((k, v) -> entries.put(String.valueOf(k), v));
                yield of(name, entries, problems);
            }
            case List<?> list ->
                list.stream().map(item -> strict(name + "[]", item, problems)).toList();
            case null, default -> value;
        };
    }
}
